import { AuthenticationError } from '../../shared/errors.js';

/**
 * Caps how many client secrets are checked at once. Each check is an scrypt
 * on the libuv pool: unbounded, a spray of token requests starves every
 * other file and crypto task of the process. Up to `maxConcurrent` run,
 * up to `maxWaiting` wait their turn, and the rest are refused at once with
 * ERR_AUTH_BUSY (503, Retry-After), which costs nothing.
 */
export class SecretCheckGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxConcurrent = 2,
    readonly maxWaiting = 32,
  ) {
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent > 0 && Number.isInteger(maxWaiting) && maxWaiting >= 0)) {
      throw new TypeError('SecretCheckGate needs a positive concurrency and a non-negative queue');
    }
  }

  async run<T>(check: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new AuthenticationError('ERR_AUTH_BUSY', 'too many client secrets are being checked at once: try again in 1 s', { retryAfterSeconds: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await check();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Checks running and waiting now. */
  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
