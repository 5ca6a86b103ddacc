import type { Role } from '../auth/index.js';

/** A member of staff's console session as stored: found by the SHA-256 of its token, which only their browser has. */
export interface StaffSessionRecord {
  /** Hex SHA-256 of the session token. */
  readonly tokenHash: string;
  /** The account's client id. */
  readonly username: string;
  /** The account's role, department and token version at sign-in: a change to any of them ends the session. */
  readonly role: Role;
  readonly department: string | null;
  readonly tokenVersion: number;
  /** ISO 8601 instants: signed in, last used (renewed at most once a minute), ends whatever happens. */
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
}

export interface StaffSessionRepository {
  /** Throws ERR_STORE_DUPLICATE if a session has this token hash. */
  insert(session: StaffSessionRecord): Promise<void>;
  get(tokenHash: string): Promise<StaffSessionRecord | null>;
  /** Sets the session's lastSeenAt; nothing when it is gone. */
  touch(tokenHash: string, lastSeenAt: string): Promise<void>;
  /** Removes the session; answers 1, or 0 when it was gone already. */
  delete(tokenHash: string): Promise<number>;
  /** Removes every session of the account; answers how many. */
  deleteOfAccount(username: string): Promise<number>;
  /** Removes every session that ended at or before `now`, or was last used at or before `idleSince` (ISO 8601); answers how many. */
  deleteExpired(now: string, idleSince: string): Promise<number>;
}

/** Failed sign-ins under one user name (as typed) since `windowStart`. */
export interface SignInFailureCount {
  readonly count: number;
  /** ISO 8601: the first failure of the window. */
  readonly windowStart: string;
}

/**
 * Failed staff sign-ins per user name, in the store so that every API node
 * counts the same failures.
 */
export interface SignInFailureRepository {
  /**
   * Counts one failure under `key`, atomically: a window whose first failure
   * was at or before `staleAtOrBefore` (or none) starts again at `now` with
   * 1. Answers the count and window after this failure.
   */
  addFailure(key: string, now: string, staleAtOrBefore: string): Promise<SignInFailureCount>;
  get(key: string): Promise<SignInFailureCount | null>;
  /** Forgets the failures under `key` (after a successful sign-in). */
  clear(key: string): Promise<void>;
  /** Forgets every window that started at or before `atOrBefore`; answers how many. */
  deleteStale(atOrBefore: string): Promise<number>;
}
