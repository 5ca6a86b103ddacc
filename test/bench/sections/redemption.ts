import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateFingerprintKeys } from '../../../src/adapters/keys/fingerprint-keys.js';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { HolderAuthorizations, MAX_LIFETIME_MINUTES, MAX_USES } from '../../../src/modules/authorizations/index.js';
import { DEMO_DEPARTMENT } from '../../../src/modules/departments/index.js';
import { keyedHolderFingerprinter } from '../../../src/modules/licenses/index.js';
import { LicenseImport } from '../../../src/modules/licenses/bulk-import.js';
import { systemClock } from '../../../src/shared/clock.js';
import { citizenIdFor, HISTORICAL_TYPE, historicalItems } from '../../support/historical-records.js';
import { authorized, startBenchVault } from '../bench-vault.js';
import { httpLoad } from '../http-load.js';
import { cpuFigure, fixed, whole, type Section } from '../report.js';

/** Holders, each with two licenses of one type and one authorization of their type for the demo department. */
const HOLDERS = 3000;

/**
 * Seeds, the vault stopped, HOLDERS holders with two licenses each (the import use case) and one authorization each
 * (the holder's use case, keyed with the vault's own fingerprint key): their 用证码, in the order made.
 */
async function seed(dir: string): Promise<string[]> {
  const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
  try {
    const holderOf = (i: number) => Math.floor(i / 2);
    const outcomes = await new LicenseImport(store, systemClock).importBatch(historicalItems(0, HOLDERS * 2, holderOf), {
      mode: 'strict',
      actor: 'bench:seed',
      isKnownLicenseType: () => true,
    });
    if (outcomes.some((outcome) => outcome.outcome !== 'imported')) throw new Error('seeding licenses refused a record');
    const { ring } = await loadOrCreateFingerprintKeys(join(dir, 'certs'), new Date());
    const holders = new HolderAuthorizations({ store, clock: systemClock, fingerprinter: keyedHolderFingerprinter(ring), isKnownLicenseType: () => true });
    const codes: string[] = [];
    for (let h = 0; h < HOLDERS; h += 100) {
      const batch = Array.from({ length: Math.min(100, HOLDERS - h) }, (_, i) =>
        holders.create(
          { holder: { type: 'citizen', value: citizenIdFor(h + i) }, actor: { id: 'holder:bench', role: 'holder' } },
          {
            licenseTypes: [HISTORICAL_TYPE],
            office: DEMO_DEPARTMENT.creditCode,
            serviceItem: '入职资格审核',
            purpose: '办理入职审核',
            lifetimeMinutes: MAX_LIFETIME_MINUTES,
            uses: MAX_USES,
          },
        ),
      );
      codes.push(...(await Promise.all(batch)).map((created) => created.code));
    }
    return codes;
  } finally {
    await store.close();
  }
}

/**
 * POST /api/v1/authorizations/redeem by the demo clerk (of the demo department), each request the next of
 * 3,000 live codes of 20 uses in turn: one transaction each (find, take a use, read the licenses of the
 * covered type, one audit entry), answered with the two licenses.
 */
export async function benchRedemption(dir: string, seconds: number, connections: number): Promise<Section> {
  const first = await startBenchVault(dir);
  await first.stop();
  const codes = await seed(dir);
  const vault = await startBenchVault(dir);
  try {
    let next = 0;
    let wrongAnswers = 0;
    const load = {
      url: `${vault.base}/api/v1/authorizations/redeem`,
      method: 'POST' as const,
      headers: { ...(await authorized(vault, 'clerk')), 'content-type': 'application/json' },
      vary: (request: { body?: unknown }) => ({ ...request, body: JSON.stringify({ code: codes[next++ % codes.length] }) }),
      answered: (status: number, body: string) => {
        if (status === 200 && (JSON.parse(body) as { licenses: unknown[] }).licenses.length !== 2) wrongAnswers += 1;
      },
      connections,
      pid: vault.child.pid!,
    };
    await httpLoad({ ...load, seconds: 2 });
    const result = await httpLoad({ ...load, seconds });
    const capacity = codes.length * MAX_USES;
    return {
      title: 'Redeeming a 用证码 (clerk, over HTTP)',
      figures: [
        { name: 'redemptions/s', ours: fixed(result.perSecond), target: '≥ 1,000/s', met: result.perSecond >= 1000 },
        { name: 'latency p50 / p99 (ms)', ours: `${result.p50} / ${result.p99}`, target: 'p99 ≤ 20 ms', met: result.p99 <= 20 },
        { name: 'failed requests (non-2xx, errors)', ours: whole(result.failures), target: '0', met: result.failures === 0 },
        { name: 'answers without exactly the two covered licenses', ours: whole(wrongAnswers), target: '0', met: wrongAnswers === 0 },
        { name: 'server peak RSS (MiB)', ours: fixed(result.peakRssMiB ?? Number.NaN, 0), target: '≤ 400', met: (result.peakRssMiB ?? Infinity) <= 400 },
        cpuFigure('', result.cpuPerRequest, availableParallelism()),
      ],
      notes: [
        `${whole(codes.length)} authorizations of ${MAX_USES} uses (${whole(capacity)} redemptions in all; ${whole(next)} were sent), each for the demo department and a license type the holder has two licenses of; ${whole(HOLDERS * 2)} licenses stored.`,
        `${connections} connections; each request redeems the next code in turn with the demo clerk's token: one transaction (find by hash, take a use, read the covered licenses, one audit entry).`,
      ],
    };
  } finally {
    await vault.stop();
  }
}
