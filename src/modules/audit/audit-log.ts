import type { AuditDraft, AuditEntry } from './audit-entry.js';

/** Append-only, hash-chained audit log. */
export interface AuditLog {
  /** Records `draft` as the next entry of the chain and returns it. */
  append(draft: AuditDraft): Promise<AuditEntry>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  list(afterSeq: number, limit: number): Promise<readonly AuditEntry[]>;
  last(): Promise<AuditEntry | null>;
}
