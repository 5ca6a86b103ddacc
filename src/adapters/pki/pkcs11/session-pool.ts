import { SigningError } from '../../../shared/errors.js';
import type { Handle } from './binding.js';

/**
 * PKCS#11 sessions for concurrent operations: a session runs one
 * cryptographic operation at a time (C_SignInit … C_Sign), so each
 * operation leases a session of its own. Up to `size` sessions are opened
 * as demand needs them; further callers wait their turn, first come first
 * served. A session whose operation failed is closed rather than reused,
 * since its state is unknown.
 */
export class SessionPool {
  readonly #idle: Handle[] = [];
  readonly #waiters: { resolve: (session: Handle) => void; reject: (error: Error) => void }[] = [];
  #open = 0;
  #closed: Error | null = null;

  constructor(
    private readonly size: number,
    private readonly openSession: () => Handle,
    private readonly closeSession: (session: Handle) => void,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a session pool needs at least one session');
  }

  /** Runs `work` with a session to itself; the session goes back to the pool if `work` succeeds. */
  async lease<T>(work: (session: Handle) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    let ok = false;
    try {
      const result = await work(session);
      ok = true;
      return result;
    } finally {
      if (ok) this.release(session);
      else this.discard(session);
    }
  }

  /** Rejects every waiter with `reason` and every later lease; idle sessions are closed now, leased ones when their work ends. */
  close(reason: Error): void {
    this.#closed = reason;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
    for (const session of this.#idle.splice(0)) this.discard(session);
  }

  private acquire(): Promise<Handle> {
    if (this.#closed) return Promise.reject(this.#closed);
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#open < this.size) {
      try {
        const session = this.openSession();
        this.#open += 1;
        return Promise.resolve(session);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new SigningError('ERR_SIGNER_UNAVAILABLE', String(error)));
      }
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  private release(session: Handle): void {
    if (this.#closed) {
      this.discard(session);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(session);
    else this.#idle.push(session);
  }

  private discard(session: Handle): void {
    this.#open -= 1;
    try {
      this.closeSession(session);
    } catch {
      // The session is dropped either way.
    }
    if (this.#closed) return;
    // A waiter gets a fresh session in place of the discarded one.
    const waiter = this.#waiters.shift();
    if (!waiter) return;
    this.acquire().then(waiter.resolve, waiter.reject);
  }
}
