import type { Clock } from '../../shared/clock.js';
import type { SignInFailureRepository } from './staff-session-record.js';

/** User names are counted as typed, cut to this length (the request allows 200). */
const KEY_LENGTH = 200;

export interface LockoutLimits {
  /** Failures that lock a user name (VAULT_STAFF_LOCKOUT_FAILURES). */
  readonly failures: number;
  /** The window they are counted in, and how long the lock lasts from its first failure (VAULT_STAFF_LOCKOUT_MINUTES). */
  readonly windowMs: number;
}

/**
 * Failed sign-ins per user name, counted in the store (every node sees the
 * same count): `failures` within the window lock the name until the window
 * passes, even for the right password. Unknown names are counted alike, so
 * a lock says nothing about which names exist.
 */
export class StaffLockout {
  constructor(
    private readonly failures: SignInFailureRepository,
    private readonly clock: Clock,
    readonly limits: LockoutLimits,
  ) {}

  /** Seconds until `username` may try again, or 0 when it is not locked. */
  async lockedFor(username: string): Promise<number> {
    const current = await this.failures.get(keyOf(username));
    if (!current || current.count < this.limits.failures) return 0;
    return this.secondsLeft(current.windowStart);
  }

  /** Counts a failure; answers the seconds of the lock it starts, or 0 when it starts none. */
  async fail(username: string): Promise<number> {
    const now = this.clock.now().getTime();
    const counted = await this.failures.addFailure(keyOf(username), new Date(now).toISOString(), new Date(now - this.limits.windowMs).toISOString());
    return counted.count === this.limits.failures ? this.secondsLeft(counted.windowStart) : 0;
  }

  succeed(username: string): Promise<void> {
    return this.failures.clear(keyOf(username));
  }

  /** Forgets windows that have passed; answers how many. */
  sweep(): Promise<number> {
    return this.failures.deleteStale(new Date(this.clock.now().getTime() - this.limits.windowMs).toISOString());
  }

  private secondsLeft(windowStart: string): number {
    const left = Date.parse(windowStart) + this.limits.windowMs - this.clock.now().getTime();
    return left <= 0 ? 0 : Math.max(1, Math.ceil(left / 1000));
  }
}

function keyOf(username: string): string {
  return username.slice(0, KEY_LENGTH);
}
