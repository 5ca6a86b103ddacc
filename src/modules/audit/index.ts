export * from './audit-entry.js';
export type { AuditLog } from './audit-log.js';
export { canonicalJson } from './canonical-json.js';
export { createCheckpoint, verifyAuditLog, type AuditCheckpoint, type AuditProblem, type AuditVerification, type CheckpointSigner } from './audit-verification.js';
export { SecurityEventRecorder, type SecurityEvent, type SecurityEventRecorderOptions } from './security-events.js';
