export * from './verdict.js';
export { VerdictBuilder } from './verdict-builder.js';
export type { TrustList, TrustedRootView } from './trust-list.js';
export { scanPdfSignatures, parsePdfDate, DEFAULT_SCAN_LIMITS, type FoundSignature, type ScanLimits, type ScanResult } from './pdf-scan/index.js';
export {
  LicenseVerification,
  identifierInFile,
  resultOfFailedCheck,
  VERIFICATION_RESULTS,
  CHECKED_HOLDER_FIELDS,
  type CheckedHolderField,
  type FieldCheck,
  type FileVerification,
  type LicenseSummary,
  type VerificationResult,
} from './license-verification.js';
