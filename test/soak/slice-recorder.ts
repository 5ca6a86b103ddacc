/** One stream's answers in one slice of the soak. Latencies in ms, over every answer (2xx and 429 alike). */
export interface StreamSlice {
  readonly stream: string;
  readonly answered: number;
  readonly p50: number | null;
  readonly p99: number | null;
  /** 429s from a stream that is meant to be limited. */
  readonly planned429: number;
  /** Everything else that went wrong: other non-2xx answers, 2xx answers with the wrong content, socket errors, timeouts. */
  readonly failures: number;
  /** The failures by kind (`HTTP 500`, `wrong answer`, `timeout`…). */
  readonly failureKinds: Readonly<Record<string, number>>;
}

/** One slice of the soak: every stream's answers and the vault's RSS over it. */
export interface Slice {
  /** From 1. */
  readonly number: number;
  readonly fromSecond: number;
  readonly toSecond: number;
  /** Lowest and highest of the RSS samples taken in the slice, in MiB; null with no sample (no /proc). */
  readonly rssMiB: { readonly min: number; readonly max: number } | null;
  readonly streams: readonly StreamSlice[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

class StreamTally {
  readonly latencies: number[] = [];
  planned429 = 0;
  readonly failureKinds = new Map<string, number>();

  fail(kind: string): void {
    this.failureKinds.set(kind, (this.failureKinds.get(kind) ?? 0) + 1);
  }
}

/**
 * Files every answer, error and RSS sample of the soak under the slice it
 * happened in, by the time it happened: slices of `sliceSeconds` from
 * `startedAt` (performance.now() ms). What comes after the last slice (the
 * answers still in flight as the load stops) counts in the last one.
 */
export class SliceRecorder {
  private readonly tallies: Map<string, StreamTally>[];
  private readonly rss: { min: number; max: number }[] = [];

  constructor(
    private readonly streams: readonly { readonly name: string; readonly expects429: boolean }[],
    private readonly sliceSeconds: number,
    readonly sliceCount: number,
    private readonly startedAt: number = performance.now(),
  ) {
    this.tallies = Array.from({ length: sliceCount }, () => new Map(streams.map((stream) => [stream.name, new StreamTally()])));
  }

  /** The slice `at` falls in, from 0. */
  sliceAt(at: number = performance.now()): number {
    return Math.min(this.sliceCount - 1, Math.max(0, Math.floor((at - this.startedAt) / (this.sliceSeconds * 1000))));
  }

  answered(stream: string, status: number, ms: number, at?: number): void {
    const tally = this.tally(stream, at);
    tally.latencies.push(ms);
    if (status >= 200 && status < 300) return;
    if (status === 429 && this.expects429(stream)) tally.planned429 += 1;
    else tally.fail(`HTTP ${status}`);
  }

  /** A 2xx answer whose content is not what the request must get. */
  wrongAnswer(stream: string, at?: number): void {
    this.tally(stream, at).fail('wrong answer');
  }

  /** A request that got no answer: `kind` is `timeout` or the socket error's code. */
  unanswered(stream: string, kind: string, at?: number): void {
    this.tally(stream, at).fail(kind);
  }

  rssSample(mib: number, at?: number): void {
    const index = this.sliceAt(at);
    const range = this.rss[index];
    if (range) {
      range.min = Math.min(range.min, mib);
      range.max = Math.max(range.max, mib);
    } else {
      this.rss[index] = { min: mib, max: mib };
    }
  }

  /** Slice `index` (from 0) as it stands. */
  slice(index: number): Slice {
    const streams = this.streams.map(({ name }): StreamSlice => {
      const tally = this.tallies[index]!.get(name)!;
      const sorted = [...tally.latencies].sort((a, b) => a - b);
      const failureKinds = Object.fromEntries(tally.failureKinds);
      return {
        stream: name,
        answered: sorted.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        planned429: tally.planned429,
        failures: [...tally.failureKinds.values()].reduce((sum, n) => sum + n, 0),
        failureKinds,
      };
    });
    const rss = this.rss[index];
    return { number: index + 1, fromSecond: index * this.sliceSeconds, toSecond: (index + 1) * this.sliceSeconds, rssMiB: rss ? { ...rss } : null, streams };
  }

  slices(): Slice[] {
    return Array.from({ length: this.sliceCount }, (_, index) => this.slice(index));
  }

  private tally(stream: string, at?: number): StreamTally {
    const tally = this.tallies[this.sliceAt(at)]!.get(stream);
    if (!tally) throw new TypeError(`no stream ${stream}`);
    return tally;
  }

  private expects429(stream: string): boolean {
    return this.streams.some((s) => s.name === stream && s.expects429);
  }
}
