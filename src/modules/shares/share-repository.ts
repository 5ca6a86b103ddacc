import type { HolderType } from '../identity/index.js';
import type { ShareRecord } from './share.js';

/** Share links. Unique keys: id, tokenHash. */
export interface ShareRepository {
  /** Throws ERR_STORE_DUPLICATE (details.key: `id` or `tokenHash`) when a key is taken. */
  insert(share: ShareRecord): Promise<void>;
  findById(id: string): Promise<ShareRecord | null>;
  findByTokenHash(tokenHash: string): Promise<ShareRecord | null>;
  /** The holder's shares that expire after `expiringAfter` (ISO 8601), newest first (createdAt, then id, descending), at most `limit`. */
  listByHolder(holderType: HolderType, holderNumber: string, expiringAfter: string, limit: number): Promise<readonly ShareRecord[]>;
  /** Sets revokedAt to `at` unless it is set already; answers the share as it is then, or null when no share has this id. */
  revoke(id: string, at: string): Promise<ShareRecord | null>;
  /**
   * Counts one opening at `at` in one atomic write, if the share is still
   * open then: not revoked, expiring after `at`, and, when one-time, never
   * opened. Of two openings of a one-time share at once exactly one counts.
   * Answers the share after the opening, or null when it did not count.
   */
  recordOpening(tokenHash: string, at: string): Promise<ShareRecord | null>;
}
