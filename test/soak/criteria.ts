import type { Slice } from './slice-recorder.js';
import type { SoakRun } from './soak.js';

/** One pass/fail criterion of the soak, with what was measured. */
export interface Criterion {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** RSS may grow by at most this fraction over the soak. */
export const RSS_GROWTH_LIMIT = 0.1;

/** Slices the RSS criterion needs: a warm-up, a baseline and a last one. */
export const MIN_SLICES = 3;

export interface RssGrowth {
  readonly baselineMiB: number;
  readonly finalMiB: number;
  /** finalMiB / baselineMiB − 1. */
  readonly growth: number;
}

/**
 * How much the vault's RSS grew: the highest sample of the last slice
 * against the highest sample of slice 2. Slice 1 is the warm-up (the heap,
 * the worker threads and the store's caches fill); peaks rather than means,
 * so that a garbage collection landing early or late in a slice does not
 * decide. Null without enough slices or samples.
 */
export function rssGrowth(slices: readonly Pick<Slice, 'rssMiB'>[]): RssGrowth | null {
  if (slices.length < MIN_SLICES) return null;
  const baseline = slices[1]!.rssMiB?.max;
  const final = slices.at(-1)!.rssMiB?.max;
  if (baseline === undefined || final === undefined) return null;
  return { baselineMiB: baseline, finalMiB: final, growth: final / baseline - 1 };
}

const whole = (n: number): string => Math.round(n).toLocaleString('en-US');

function failureSummary(run: SoakRun): { count: number; kinds: string[] } {
  const kinds = new Map<string, number>();
  for (const slice of run.slices) {
    for (const stream of slice.streams) {
      for (const [kind, n] of Object.entries(stream.failureKinds)) kinds.set(`${stream.stream}: ${kind}`, (kinds.get(`${stream.stream}: ${kind}`) ?? 0) + n);
    }
  }
  for (const failure of run.retried.failed) kinds.set(`issuance retry: ${failure}`, (kinds.get(`issuance retry: ${failure}`) ?? 0) + 1);
  return { count: [...kinds.values()].reduce((sum, n) => sum + n, 0), kinds: [...kinds].map(([kind, n]) => `${kind} ×${whole(n)}`) };
}

/** Every criterion of the soak, checked against what one run measured. The run passes when all are ok. */
export function evaluateSoak(run: SoakRun): Criterion[] {
  const growth = rssGrowth(run.slices);
  const failures = failureSummary(run);
  const planned429 = run.slices.reduce((sum, slice) => sum + slice.streams.reduce((n, stream) => n + stream.planned429, 0), 0);
  const idle = run.slices.flatMap((slice) => slice.streams.filter((stream) => stream.answered === 0).map((stream) => `${stream.stream} in slice ${slice.number}`));
  return [
    {
      name: `RSS growth ≤ ${RSS_GROWTH_LIMIT * 100}%`,
      ok: growth !== null && growth.growth <= RSS_GROWTH_LIMIT,
      detail: growth
        ? `${growth.finalMiB.toFixed(0)} MiB (peak of the last slice) against ${growth.baselineMiB.toFixed(0)} MiB (peak of slice 2, after the warm-up): ${(growth.growth * 100).toFixed(1)}%`
        : `not measured (needs ${MIN_SLICES} slices and RSS samples from /proc)`,
    },
    { name: 'no failures but planned 429s', ok: failures.count === 0, detail: failures.count === 0 ? 'none' : `${whole(failures.count)}: ${failures.kinds.join('; ')}` },
    { name: 'the rate limit was exercised (planned 429s > 0)', ok: planned429 > 0, detail: `${whole(planned429)} planned 429s` },
    {
      name: 'every stream answered in every slice',
      ok: idle.length === 0,
      detail: idle.length === 0 ? `${run.streams.length} streams × ${run.slices.length} slices` : `no answer: ${idle.join(', ')}`,
    },
    { name: 'the vault stopped gracefully on SIGTERM', ok: run.vaultExitCode === 0, detail: `exit code ${String(run.vaultExitCode)}` },
    {
      name: 'fsck: consistent',
      ok: run.fsck.ok,
      detail: run.fsck.ok ? `${whole(run.fsck.licenses)} licenses, ${whole(run.fsck.auditEntries)} audit entries, in ${run.fsck.seconds.toFixed(0)} s` : run.fsck.failed.join('; '),
    },
    {
      name: 'licenses acknowledged = licenses stored',
      ok: run.acknowledged === run.fsck.licenses,
      detail: `${whole(run.acknowledged)} answered 201, ${whole(run.fsck.licenses)} in the store`,
    },
    { name: "no unmasked citizen ID in the vault's output", ok: run.unmaskedIdsInLog === 0, detail: `${whole(run.unmaskedIdsInLog)} found` },
  ];
}
