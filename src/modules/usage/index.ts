export { maskAccount } from './account-mask.js';
export { FaceImages, type LicenseFaceRenderer } from './face-images.js';
export { HELD_LICENSES_PAGE_MAX, HolderLicenses, type HeldLicense, type HolderLicenseRepositories, type HolderLicensesDependencies, type HolderViewer } from './holder-licenses.js';
export { StaffLicenseFaces, type StaffLicenseFacesDependencies } from './staff-faces.js';
export { USAGE_KINDS, usageKindOf, type UsageKind } from './usage-kinds.js';
export { UsageRecord, type UsageEntry, type UsageLicense, type UsagePage, type UsageRecordDependencies, type UsageRecordStore, type VerificationTotal } from './usage-record.js';
