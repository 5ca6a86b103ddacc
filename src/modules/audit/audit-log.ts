import type { AuditDraft, AuditEntry } from './audit-entry.js';

/** Append-only, hash-chained audit log. */
export interface AuditLog {
  /** Records `draft` as the next entry of the chain and returns it. */
  append(draft: AuditDraft): Promise<AuditEntry>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  list(afterSeq: number, limit: number): Promise<readonly AuditEntry[]>;
  last(): Promise<AuditEntry | null>;
  /**
   * Replaces stored entries by the same seqs' new versions (details, prevHash,
   * hash and legacyHash), as a re-key does (ADR 0010): only inside a
   * transaction, which must go on to re-chain through the newest entry.
   * @throws StoreError ERR_STORE_NOT_FOUND when a seq is not stored.
   */
  rechain(entries: readonly AuditEntry[]): Promise<void>;
}
