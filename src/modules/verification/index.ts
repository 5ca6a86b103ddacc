export * from './verdict.js';
export { VerdictBuilder } from './verdict-builder.js';
export type { TrustList, TrustedRootView } from './trust-list.js';
