export * from './audit-entry.js';
export type { AuditLog } from './audit-log.js';
export { canonicalJson } from './canonical-json.js';
