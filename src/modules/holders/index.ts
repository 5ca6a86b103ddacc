/**
 * Holders: the citizens and companies whose licenses the vault keeps, signed
 * in through the province's identity platform, and their sessions.
 */
export { HOLDER_ROLE, holderActor } from './holder-principal.js';
export type { HolderPrincipal } from './holder-principal.js';
export type { HolderSessionRecord, HolderSessionRepository } from './holder-session.js';
export { HolderSessions } from './sessions.js';
export type { OpenedHolderSession } from './sessions.js';
