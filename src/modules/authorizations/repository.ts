import type { HolderNumber } from '../identity/index.js';
import type { AuthorizationRecord } from './authorization.js';

/** Authorizations (授权用证). Unique keys: id, codeHash. */
export interface AuthorizationRepository {
  /** Throws ERR_STORE_DUPLICATE (details.key `id` or `codeHash`) when a unique key is taken. */
  insert(record: AuthorizationRecord): Promise<void>;
  get(id: string): Promise<AuthorizationRecord | null>;
  findByCodeHash(codeHash: string): Promise<AuthorizationRecord | null>;
  /** The holder's authorizations that expire after `expiringAfter`, newest first (createdAt, then id, descending), at most `limit`. */
  listByHolder(holder: HolderNumber, expiringAfter: string, limit: number): Promise<readonly AuthorizationRecord[]>;
  /**
   * Takes one use for the clerk `clientId`, atomically: only when the
   * authorization is not withdrawn, expires after `at` and has a use left.
   * Two clerks redeeming the last use at once: one gets the record after its
   * use, the other null. Null also when there is no such authorization.
   */
  redeemOnce(id: string, clientId: string, at: string): Promise<AuthorizationRecord | null>;
  /** Sets `withdrawnAt` unless already set; the record after, or null when there is no such authorization. */
  withdraw(id: string, at: string): Promise<AuthorizationRecord | null>;
}
