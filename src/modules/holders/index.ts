/**
 * Holders: the citizens and companies whose licenses the vault keeps, signed
 * in through the province's identity platform, and their sessions.
 */
export { HOLDER_ROLE, holderActor } from './holder-principal.js';
export type { HolderPrincipal } from './holder-principal.js';
export type { HolderSessionRecord, HolderSessionRepository } from './holder-session.js';
export { HolderSessions } from './sessions.js';
export type { OpenedHolderSession } from './sessions.js';
export { claimShape, holderFromClaims } from './holder-claims.js';
export type { HolderClaimNames, SignedInHolder } from './holder-claims.js';
export type { HolderIdentityProvider, SignInChecks } from './identity-provider.js';
export { safeReturnPath, SignInSeal, SIGN_IN_KEY_BYTES } from './sign-in-seal.js';
export type { PendingSignIn } from './sign-in-seal.js';
export { HolderSignIn, SIGN_IN_SECONDS } from './holder-sign-in.js';
export type { HolderSignInCode, HolderSignInDependencies, SignInFinish, SignInRefusal, SignInStart } from './holder-sign-in.js';
