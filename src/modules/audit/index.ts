export * from './audit-entry.js';
export type { AuditLog, HolderEntriesPage } from './audit-log.js';
export { canonicalJson } from './canonical-json.js';
export { createCheckpoint, heldAt, verifyAuditLog, type AuditCheckpoint, type AuditProblem, type AuditVerification, type CheckpointSigner } from './audit-verification.js';
export { holderIndexKeys, indexedHolderFingerprint, newestOf } from './holder-index.js';
export { AUDIT_REKEY_ACTION, type AuditRekeyDetails } from './legacy-hashes.js';
export { rekeyAuditLog, type AuditRekeyOptions, type AuditRekeyStore } from './rekey.js';
export { SecurityEventRecorder, type SecurityEvent, type SecurityEventRecorderOptions } from './security-events.js';
