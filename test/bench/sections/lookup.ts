import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { LicenseImport } from '../../../src/modules/licenses/bulk-import.js';
import { systemClock } from '../../../src/shared/clock.js';
import { citizenIdFor, historicalItems } from '../../support/historical-records.js';
import { authorized, startBenchVault } from '../bench-vault.js';
import { httpLoad, type LoadResult } from '../http-load.js';
import { cpuFigure, fixed, whole, type Figure, type Section } from '../report.js';

const SCALES = [10_000, 100_000, 1_000_000] as const;
const SEED_BATCH = 5000;
/** Every holder has two licenses at every scale, so answers are the same size. */
const holderOf = (i: number): number => Math.floor(i / 2);

/** Adds licenses [from, to) through the vault's own import path, the vault stopped. */
async function seed(dataDir: string, from: number, to: number): Promise<number> {
  const store = openSqliteStore({ file: join(dataDir, 'vault.db') });
  const importer = new LicenseImport(store, systemClock);
  const started = performance.now();
  try {
    for (let at = from; at < to; at += SEED_BATCH) {
      const outcomes = await importer.importBatch(historicalItems(at, Math.min(to, at + SEED_BATCH), holderOf), {
        mode: 'strict',
        actor: 'bench:seed',
        isKnownLicenseType: () => true,
      });
      const refused = outcomes.find((outcome) => outcome.outcome !== 'imported');
      if (refused) throw new Error(`seeding refused line ${refused.line}: ${JSON.stringify(refused)}`);
    }
  } finally {
    await store.close();
  }
  return (to - from) / ((performance.now() - started) / 1000);
}

/**
 * GET /api/v1/holders/{id}/licenses for random holders (two licenses each,
 * with a purpose, audited) at 10,000, 100,000 and 1,000,000 licenses stored,
 * seeded through the import use case.
 */
export async function benchLookup(dir: string, seconds: number, connections: number): Promise<Section> {
  const first = await startBenchVault(dir);
  await first.stop();
  const results = new Map<number, LoadResult>();
  const notes: string[] = [];
  let stored = 0;
  for (const scale of SCALES) {
    const rate = await seed(join(dir, 'data'), stored, scale);
    notes.push(`seeded ${whole(scale - stored)} licenses to reach ${whole(scale)} at ${whole(rate)}/s (import use case, batches of ${SEED_BATCH}).`);
    stored = scale;
    const vault = await startBenchVault(dir);
    try {
      const holders = scale / 2;
      const purpose = encodeURIComponent('办理入职审核');
      const load = {
        url: vault.base,
        headers: await authorized(vault, 'clerk'),
        path: () => `/api/v1/holders/${citizenIdFor(Math.floor(Math.random() * holders))}/licenses?purpose=${purpose}`,
        connections,
        pid: vault.child.pid!,
      };
      await httpLoad({ ...load, seconds: 2 });
      results.set(scale, await httpLoad({ ...load, seconds }));
    } finally {
      await vault.stop();
    }
  }
  const small = results.get(SCALES[0])!;
  const large = results.get(SCALES[2])!;
  const figures: Figure[] = SCALES.flatMap((scale) => {
    const r = results.get(scale)!;
    const at = `${whole(scale)} licenses`;
    return [
      { name: `${at}: requests/s`, ours: fixed(r.perSecond), ...(scale === SCALES[2] ? { target: '≥ 2,000/s', met: r.perSecond >= 2000 } : {}) },
      { name: `${at}: latency p50 / p99 (ms)`, ours: `${r.p50} / ${r.p99}`, ...(scale === SCALES[2] ? { target: 'p99 ≤ 5 ms', met: r.p99 <= 5 } : {}) },
      { name: `${at}: failed requests`, ours: whole(r.failures), target: '0', met: r.failures === 0 },
      { name: `${at}: server peak RSS (MiB)`, ours: fixed(r.peakRssMiB ?? Number.NaN, 0), target: '≤ 400', met: (r.peakRssMiB ?? Infinity) <= 400 },
      cpuFigure(`${at}: `, r.cpuPerRequest, availableParallelism()),
    ];
  });
  figures.push({
    name: 'p99 at 1,000,000 against p99 at 10,000',
    ours: `${large.p99} ms`,
    peer: { name: 'the same look-up at 10,000', value: `${small.p99} ms` },
    ratio: large.p99 / Math.max(small.p99, 1e-9),
    target: '≤ 1.5× (slower)',
    met: large.p99 <= 1.5 * small.p99,
  });
  notes.push(`${connections} connections; each request looks up a random holder with a purpose and writes its audit entry.`);
  return { title: 'Holder look-up at scale', figures, notes };
}
