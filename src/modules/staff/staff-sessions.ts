import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import type { StaffSessionRecord, StaffSessionRepository } from './staff-session-record.js';

/** 256 random bits: guessing a live session within any rate limit is hopeless. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** lastSeenAt is written at most this often, to spare the store a write per request. */
export const TOUCH_INTERVAL_MS = 60_000;

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface StaffSessionLimits {
  /** A session unused this long ends (VAULT_STAFF_IDLE_MINUTES). */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not (VAULT_STAFF_SESSION_HOURS). */
  readonly lifetimeMs: number;
}

/** Who a session is for: the account as it was at sign-in. */
export type SessionSubject = Pick<StaffSessionRecord, 'username' | 'role' | 'department' | 'tokenVersion'>;

/**
 * Staff console sessions, kept in the store so that any node serves any
 * request: they end after a while unused and after a fixed time in all.
 */
export class StaffSessions {
  constructor(
    private readonly sessions: StaffSessionRepository,
    private readonly clock: Clock,
    readonly limits: StaffSessionLimits,
  ) {}

  async open(subject: SessionSubject): Promise<{ readonly token: string; readonly record: StaffSessionRecord }> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.clock.now();
    const record: StaffSessionRecord = {
      tokenHash: hashOf(token),
      ...subject,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.limits.lifetimeMs).toISOString(),
    };
    await this.sessions.insert(record);
    return { token, record };
  }

  /** The live session of `token`, its idle time renewed (stored at most once a minute); null for a malformed, unknown, idle or expired one. */
  async use(token: string): Promise<StaffSessionRecord | null> {
    const record = TOKEN_SHAPE.test(token) ? await this.sessions.get(hashOf(token)) : null;
    if (!record) return null;
    const now = this.clock.now().getTime();
    if (Date.parse(record.expiresAt) <= now || this.idleEnd(record) <= now) {
      await this.sessions.delete(record.tokenHash);
      return null;
    }
    if (now - Date.parse(record.lastSeenAt) < TOUCH_INTERVAL_MS) return record;
    const lastSeenAt = new Date(now).toISOString();
    await this.sessions.touch(record.tokenHash, lastSeenAt);
    return { ...record, lastSeenAt };
  }

  /** When `record` ends unless used before. */
  idleEnd(record: StaffSessionRecord): number {
    return Math.min(Date.parse(record.lastSeenAt) + this.limits.idleMs, Date.parse(record.expiresAt));
  }

  /** Ends the session of `token`; answers 1, or 0 when it signed no one in. */
  async close(token: string): Promise<number> {
    return TOKEN_SHAPE.test(token) ? this.sessions.delete(hashOf(token)) : 0;
  }

  /** Ends the session stored as `record` (the account changed under it). */
  async end(record: StaffSessionRecord): Promise<void> {
    await this.sessions.delete(record.tokenHash);
  }

  /** Ends every session of the account; answers how many. */
  closeAll(username: string): Promise<number> {
    return this.sessions.deleteOfAccount(username);
  }

  /** Forgets ended sessions; answers how many. */
  sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    return this.sessions.deleteExpired(new Date(now).toISOString(), new Date(now - this.limits.idleMs).toISOString());
  }
}
