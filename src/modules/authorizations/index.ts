export * from './authorization.js';
export { CODE_ALPHABET, CODE_BITS, CODE_LENGTH, codeHint, displayCode, generateCode, hashCode, normalizeCode } from './code.js';
export type { AuthorizationRepository } from './repository.js';
export {
  authorizationView,
  HolderAuthorizations,
  type ActingHolder,
  type AuthorizationRepositories,
  type AuthorizationStore,
  type AuthorizationView,
  type CreatedAuthorization,
  type HolderAuthorizationDependencies,
  type NewAuthorization,
} from './holder-authorizations.js';
export { AuthorizationRedemption, type Redeemed, type RedemptionDependencies, type RedemptionLimits } from './redemption.js';
export { coversRead, redeemedCoverage } from './consent.js';
