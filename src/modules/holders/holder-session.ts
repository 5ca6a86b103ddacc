import type { HolderType } from '../identity/index.js';

/** A signed-in holder's session as stored: found by the SHA-256 of its token, which only the holder's browser has. */
export interface HolderSessionRecord {
  /** Hex SHA-256 of the session token. */
  readonly tokenHash: string;
  readonly holderType: HolderType;
  readonly holderNumber: string;
  readonly name: string | null;
  /** ISO 8601 instants. */
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface HolderSessionRepository {
  /** Throws ERR_STORE_DUPLICATE if a session has this token hash. */
  insert(session: HolderSessionRecord): Promise<void>;
  get(tokenHash: string): Promise<HolderSessionRecord | null>;
  /** Removes the session; nothing when it is gone already. */
  delete(tokenHash: string): Promise<void>;
  /** Removes every session that expired at or before `now` (ISO 8601); answers how many. */
  deleteExpired(now: string): Promise<number>;
}
