import type { AuditDraft, AuditEntry } from './audit-entry.js';

/** Where a page of one holder's entries starts: before `beforeSeq` (all when absent), at most `limit`. */
export interface HolderEntriesPage {
  readonly beforeSeq?: number;
  readonly limit: number;
}

/** Append-only, hash-chained audit log. */
export interface AuditLog {
  /** Records `draft` as the next entry of the chain and returns it. */
  append(draft: AuditDraft): Promise<AuditEntry>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  list(afterSeq: number, limit: number): Promise<readonly AuditEntry[]>;
  /**
   * Entries whose `details.holderFingerprint` is one of `fingerprints` (a holder's fingerprint under each kept key),
   * newest first, with seq < beforeSeq, at most `limit`: the usage record's read, served by an index.
   */
  listByHolder(fingerprints: readonly string[], page: HolderEntriesPage): Promise<readonly AuditEntry[]>;
  last(): Promise<AuditEntry | null>;
  /**
   * Replaces stored entries by the same seqs' new versions (details, prevHash,
   * hash and legacyHash), as a re-key does (ADR 0010): only inside a
   * transaction, which must go on to re-chain through the newest entry.
   * The holder index follows the new details.
   * @throws StoreError ERR_STORE_NOT_FOUND when a seq is not stored.
   */
  rechain(entries: readonly AuditEntry[]): Promise<void>;
}
