export * from './license.js';
export * from './repository.js';
export { encodeCursor, decodeCursor, type LicensePageCursor } from './cursor.js';
export * from './status.js';
export { chinaToday, validityFor } from './validity.js';
export { raiseCounterAudited, skippedSerialsOf, SERIAL_SKIP_ACTION, type SerialSkipReason } from './serial-skips.js';
export { counterText, counterValuesOf } from './numbering.js';
export {
  LicenseIssuance,
  ISSUANCE_POINTS,
  type IssuanceDependencies,
  type IssuancePoint,
  type IssuanceRepositories,
  type IssuanceStore,
  type IssueCommand,
  type ReissueCommand,
  type IssueResult,
} from './issuance.js';
export { fingerprintsFor, LicenseQueries, type ConsentCheck, type HolderLookup, type LicenseQueryRepositories, type LicenseQueryStore, type LicenseView } from './queries.js';
export { LicenseLifecycle, type LifecycleStore } from './lifecycle.js';
export { LicensePreview, PREVIEW_PLACEHOLDERS, PREVIEW_WATERMARK, type LicensePreviewDependencies } from './preview.js';
export { LicenseImport, type ImportItem, type ImportItemOutcome, type ImportMode, type ImportOptions, type ImportRepositories, type ImportStore } from './bulk-import.js';
export * from './limits.js';
export { isAcceptableHolderName } from './holder-name.js';
export {
  fingerprintKeyId,
  FINGERPRINT_KEY_ID,
  isUnkeyedHolderFingerprint,
  keyedHolderFingerprinter,
  rekeyedHolderDetails,
  unkeyedHolderFingerprint,
  type FingerprintKeyRing,
  type HolderFingerprinter,
} from './holder-fingerprint.js';
export { meaningfulPurpose, meaningfulServiceItem, SERVICE_ITEM_MAX_LENGTH } from './purpose.js';
