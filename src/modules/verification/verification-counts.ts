import { chinaToday } from '../licenses/index.js';
import type { Clock } from '../../shared/clock.js';

/** Anonymous verifications of one license on one day (China time): a number, nothing about who verified. */
export interface VerificationCount {
  readonly identifier: string;
  /** YYYY-MM-DD in China. */
  readonly day: string;
  readonly count: number;
}

/** Counters of anonymous verifications, kept apart from the audit log (whose single head must not take a write per verification). */
export interface VerificationCountRepository {
  /** Adds each count to its license's and day's stored count, creating it at 0 first: one upsert each. */
  add(counts: readonly VerificationCount[]): Promise<void>;
  /** Each identifier's count over all days; identifiers never verified are absent. */
  totals(identifiers: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

export interface VerificationTallyOptions {
  readonly repository: Pick<VerificationCountRepository, 'add'>;
  readonly clock: Clock;
  /** Distinct license-days held before a flush is started on the spot; 10,000 by default. */
  readonly maxPending?: number;
}

/**
 * Counts verifications in memory and writes them in batches (at {@link flush},
 * which the composition root calls every few seconds and at shutdown). Counts
 * are not acknowledged data: a crash loses at most what was not flushed, a
 * failed flush puts its counts back for the next one. A verification never
 * waits for the store.
 */
export class VerificationTally {
  private pending = new Map<string, VerificationCount>();
  private flushing: Promise<number> | null = null;
  private readonly maxPending: number;

  constructor(private readonly options: VerificationTallyOptions) {
    this.maxPending = options.maxPending ?? 10_000;
    if (!(this.maxPending > 0)) throw new TypeError('VerificationTally needs a positive maxPending');
  }

  /** One verification that resolved to `identifier`, now. While the store refuses, at most twice `maxPending` license-days are held; beyond that new ones are dropped. */
  count(identifier: string): void {
    const day = chinaToday(this.options.clock.now());
    if (this.pending.size >= 2 * this.maxPending && !this.pending.has(`${identifier}|${day}`)) {
      this.dropped += 1;
      return;
    }
    this.add({ identifier, day, count: 1 });
    if (this.pending.size >= this.maxPending && !this.flushing) void this.flush().catch(() => undefined);
  }

  /** Verifications not counted because too many were held unwritten. */
  dropped = 0;

  /** License-days counted and not yet written. */
  get size(): number {
    return this.pending.size;
  }

  /** Writes what was counted; returns how many license-days it wrote. One flush at a time: a second call waits for the first and then writes what came since. */
  async flush(): Promise<number> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.pending.size === 0) return 0;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.options.repository.add(batch).then(
      () => batch.length,
      (error: unknown) => {
        for (const count of batch) this.add(count);
        throw error;
      },
    );
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private add(count: VerificationCount): void {
    const key = `${count.identifier}|${count.day}`;
    const held = this.pending.get(key);
    this.pending.set(key, held ? { ...held, count: held.count + count.count } : count);
  }
}
