export * from './verdict.js';
export { VerdictBuilder } from './verdict-builder.js';
export type { TrustList, TrustedRootView } from './trust-list.js';
export {
  LicenseVerification,
  identifierInFile,
  resultOfFailedCheck,
  VERIFICATION_RESULTS,
  type CodeVerification,
  type FieldCheck,
  type FileVerification,
  type LicenseSummary,
  type VerificationResult,
  type VerificationStore,
} from './license-verification.js';
export { VerificationTally, type VerificationCount, type VerificationCountRepository, type VerificationTallyOptions } from './verification-counts.js';
export { copySummary, judgeCopy, judgeCopyOffline, platformSignerCheck, type CopyCheck, type CopyJudgement, type CopySummary } from './copy-verification.js';
