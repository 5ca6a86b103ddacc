import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateSoak } from '../soak/criteria.js';
import { runSoak, type SoakRun } from '../soak/soak.js';

const STREAMS = ['issuance', 'look-up', 'verify: upload', 'verify: QR link', 'verify: fields', 'greedy verifier'];

/**
 * `npm run soak`'s driver for three slices of 5 s against the built vault:
 * a row for every stream in every slice, the greedy client's 429s counted
 * apart, nothing else failed, and the store whole afterwards. (RSS growth
 * over 15 s says nothing; its criterion is checked on synthetic series in
 * test/soak/soak-criteria.test.ts, and here only for failing when it must.)
 */
describe('soak (short)', () => {
  let dir: string;
  let run: SoakRun;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-soak-'));
    run = await runSoak({ dir, sliceSeconds: 5, slices: 3 });
  }, 90_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every slice has a row for every stream, with answers, percentiles and RSS samples', () => {
    expect(run.slices.map((slice) => slice.number)).toEqual([1, 2, 3]);
    for (const slice of run.slices) {
      expect(slice.streams.map((stream) => stream.stream)).toEqual(STREAMS);
      for (const stream of slice.streams) {
        expect(stream.answered).toBeGreaterThan(0);
        expect(stream).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
      }
      expect(slice.rssMiB).toEqual({ min: expect.any(Number), max: expect.any(Number) });
    }
  });

  test('the greedy client is refused with 429s, counted as planned; nothing else fails', () => {
    const greedy429 = run.slices.reduce((sum, slice) => sum + slice.streams.find((stream) => stream.stream === 'greedy verifier')!.planned429, 0);
    expect(greedy429).toBeGreaterThan(0);
    expect(run.slices.flatMap((slice) => slice.streams.filter((stream) => stream.failures > 0).map((stream) => ({ slice: slice.number, ...stream })))).toEqual([]);
    expect(run.retried.failed).toEqual([]);
  });

  test('after SIGTERM, fsck finds the store consistent, holding exactly the licenses acknowledged', () => {
    expect(run.vaultExitCode).toBe(0);
    expect(run.fsck).toMatchObject({ ok: true, failed: [] });
    expect(run.fsck.licenses).toBe(run.acknowledged);
    expect(run.acknowledged).toBeGreaterThan(run.seeded);
    expect(run.unmaskedIdsInLog).toBe(0);
  });

  test('the criteria pass on this run but RSS growth, and fail when its RSS grows 20%', () => {
    expect(
      evaluateSoak(run)
        .filter((criterion) => !criterion.ok && !criterion.name.startsWith('RSS'))
        .map((criterion) => criterion.name),
    ).toEqual([]);
    const growing = { ...run, slices: run.slices.map((slice, index) => ({ ...slice, rssMiB: { min: 300, max: index === 2 ? 360 : 300 } })) };
    expect(
      evaluateSoak(growing)
        .filter((criterion) => !criterion.ok)
        .map((criterion) => criterion.name),
    ).toEqual(['RSS growth ≤ 10%']);
  });
});
