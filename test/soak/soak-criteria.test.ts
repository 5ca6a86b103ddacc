import { evaluateSoak, rssGrowth } from './criteria.js';
import { percentile, SliceRecorder, type Slice } from './slice-recorder.js';
import type { SoakRun } from './soak.js';

const STREAMS = [
  { name: 'issuance', expects429: false },
  { name: 'greedy verifier', expects429: true },
];

/** A run that meets every criterion, over slices whose peak RSS is `peaks` (MiB); `edit` spoils what a test needs spoiled. */
function passingRun(peaks: readonly number[], edit: (run: SoakRun) => SoakRun = (run) => run): SoakRun {
  const slices: Slice[] = peaks.map((peak, index) => ({
    number: index + 1,
    fromSecond: index * 60,
    toSecond: (index + 1) * 60,
    rssMiB: { min: peak - 20, max: peak },
    streams: [
      { stream: 'issuance', answered: 1200, p50: 40, p99: 120, planned429: 0, failures: 0, failureKinds: {} },
      { stream: 'greedy verifier', answered: 600, p50: 3, p99: 9, planned429: 540, failures: 0, failureKinds: {} },
    ],
  }));
  return edit({
    startedAt: '2026-11-21T00:00:00.000Z',
    sliceSeconds: 60,
    streams: STREAMS.map((stream) => ({ ...stream, does: '…', connections: 1 })),
    verificationsPerMinute: 60,
    slices,
    seeded: 40,
    acknowledged: 12_040,
    retried: { sent: 2, acknowledged: 2, replayed: 2, failed: [] },
    vaultExitCode: 0,
    fsck: { ok: true, licenses: 12_040, auditEntries: 90_000, failed: [], seconds: 12 },
    unmaskedIdsInLog: 0,
  });
}

const failed = (run: SoakRun): string[] =>
  evaluateSoak(run)
    .filter((criterion) => !criterion.ok)
    .map((criterion) => criterion.name);

describe('soak criteria', () => {
  test('a run with flat RSS, planned 429s only and a consistent store passes', () => {
    expect(failed(passingRun([300, 310, 305, 312, 308]))).toEqual([]);
  });

  test("RSS growth is the last slice's peak against the peak of slice 2, the warm-up left out", () => {
    // A warm-up from 200 to 300 MiB is not growth; 300 → 329 is under 10%, 300 → 331 over.
    expect(rssGrowth(passingRun([200, 300, 310, 330]).slices)).toEqual({ baselineMiB: 300, finalMiB: 330, growth: expect.closeTo(0.1, 10) });
    expect(failed(passingRun([200, 300, 310, 329]))).toEqual([]);
    expect(failed(passingRun([200, 300, 310, 331]))).toEqual(['RSS growth ≤ 10%']);
  });

  test('RSS growing by 20% over the run fails the soak', () => {
    expect(failed(passingRun([250, 300, 320, 340, 360]))).toEqual(['RSS growth ≤ 10%']);
  });

  test('too few slices, or no RSS samples, fail the RSS criterion rather than pass it unmeasured', () => {
    expect(rssGrowth(passingRun([300, 300]).slices)).toBeNull();
    const unsampled = passingRun([300, 300, 300], (run) => ({ ...run, slices: run.slices.map((slice) => ({ ...slice, rssMiB: null })) }));
    expect(failed(unsampled)).toEqual(['RSS growth ≤ 10%']);
  });

  test('one failed request, or one failed retry, fails the soak', () => {
    const withError = passingRun([300, 300, 300], (run) => ({
      ...run,
      slices: run.slices.map((slice, index) =>
        index === 2 ? { ...slice, streams: slice.streams.map((s) => (s.stream === 'issuance' ? { ...s, failures: 1, failureKinds: { 'HTTP 500': 1 } } : s)) } : slice,
      ),
    }));
    expect(failed(withError)).toEqual(['no failures but planned 429s']);
    expect(evaluateSoak(withError).find((criterion) => !criterion.ok)?.detail).toBe('1: issuance: HTTP 500 ×1');
    expect(failed(passingRun([300, 300, 300], (run) => ({ ...run, retried: { ...run.retried, failed: ['HTTP 503'] } })))).toEqual(['no failures but planned 429s']);
  });

  test('no planned 429 at all means the limiter was not exercised', () => {
    const unlimited = passingRun([300, 300, 300], (run) => ({
      ...run,
      slices: run.slices.map((slice) => ({ ...slice, streams: slice.streams.map((s) => ({ ...s, planned429: 0 })) })),
    }));
    expect(failed(unlimited)).toEqual(['the rate limit was exercised (planned 429s > 0)']);
  });

  test('a stream silent for a slice, an unclean stop, an inconsistent store or a lost license fail the soak', () => {
    const stalled = passingRun([300, 300, 300], (run) => ({
      ...run,
      slices: run.slices.map((slice, index) => (index === 1 ? { ...slice, streams: slice.streams.map((s) => ({ ...s, answered: 0 })) } : slice)),
    }));
    expect(failed(stalled)).toEqual(['every stream answered in every slice']);
    expect(failed(passingRun([300, 300, 300], (run) => ({ ...run, vaultExitCode: 1 })))).toEqual(['the vault stopped gracefully on SIGTERM']);
    expect(failed(passingRun([300, 300, 300], (run) => ({ ...run, fsck: { ...run.fsck, ok: false, failed: ['audit-chain: broken at seq 7'] } })))).toEqual(['fsck: consistent']);
    expect(failed(passingRun([300, 300, 300], (run) => ({ ...run, fsck: { ...run.fsck, licenses: run.acknowledged - 1 } })))).toEqual(['licenses acknowledged = licenses stored']);
    expect(failed(passingRun([300, 300, 300], (run) => ({ ...run, unmaskedIdsInLog: 1 })))).toEqual(["no unmasked citizen ID in the vault's output"]);
  });
});

describe('slice recorder', () => {
  test('files answers by the slice they arrive in; a 429 is planned only on a stream that expects it', () => {
    const recorder = new SliceRecorder(STREAMS, 10, 3, 0);
    recorder.answered('issuance', 201, 40, 1_000);
    recorder.answered('issuance', 429, 2, 12_000);
    recorder.answered('greedy verifier', 429, 3, 12_000);
    recorder.answered('greedy verifier', 200, 5, 99_000); // after the end: the last slice
    recorder.unanswered('issuance', 'timeout', 25_000);
    recorder.wrongAnswer('issuance', 25_000);
    recorder.rssSample(300, 0);
    recorder.rssSample(320, 5_000);
    const [first, second, third] = recorder.slices();
    expect(first).toMatchObject({
      number: 1,
      rssMiB: { min: 300, max: 320 },
      streams: [
        { stream: 'issuance', answered: 1, p99: 40, failures: 0 },
        { stream: 'greedy verifier', answered: 0, p99: null },
      ],
    });
    expect(second).toMatchObject({
      rssMiB: null,
      streams: [
        { failures: 1, failureKinds: { 'HTTP 429': 1 } },
        { planned429: 1, failures: 0 },
      ],
    });
    expect(third!.streams).toMatchObject([
      { answered: 0, failures: 2, failureKinds: { timeout: 1, 'wrong answer': 1 } },
      { answered: 1, p50: 5 },
    ]);
  });

  test('percentiles are nearest-rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
