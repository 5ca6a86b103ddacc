import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateFingerprintKeys } from '../../../src/adapters/keys/fingerprint-keys.js';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { DEMO_DEPARTMENT } from '../../../src/modules/departments/index.js';
import type { AuditEntry, AuditLog } from '../../../src/modules/audit/index.js';
import { HolderSessions } from '../../../src/modules/holders/index.js';
import { parseHolderNumber } from '../../../src/modules/identity/index.js';
import { keyedHolderFingerprinter } from '../../../src/modules/licenses/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { citizenIdFor } from '../../support/historical-records.js';
import { startBenchVault } from '../bench-vault.js';
import { httpLoad } from '../http-load.js';
import { cpuFigure, fixed, whole, type Figure, type Section } from '../report.js';

const HOLDER = '11010519491231002X';
const HOLDER_ENTRIES = 10_000;
/** Entries about other holders between the holder's: the log the index must find them in. */
const OTHERS_PER_ENTRY = 10;
const PAGE = 20;
const BATCH = 5000;
/** Holder entries per seeding transaction, each with its others. */
const PER_BATCH = Math.floor(BATCH / (OTHERS_PER_ENTRY + 1));
const SCANS = 15;

const ACTIONS = ['holder.query', 'license.read', 'license.download'] as const;

/** The seq a usage cursor stands for, as the vault encodes it (opaque to clients; the bench reads pages at random depths). */
const cursorBefore = (seq: number): string => Buffer.from(`u1.${seq}`, 'utf8').toString('base64url');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The usage record's page without the index: every audit entry read in seq order and filtered, as `license-vault audit holder` did before the index. */
async function scannedPage(audit: AuditLog, wanted: ReadonlySet<string>, beforeSeq: number): Promise<readonly AuditEntry[]> {
  const newest: AuditEntry[] = [];
  for (let after = 0; ;) {
    const page = await audit.list(after, 1000);
    for (const entry of page) {
      if (entry.seq >= beforeSeq) return newest.slice(-PAGE).reverse();
      if (wanted.has(entry.details['holderFingerprint'] as string)) newest.push(entry);
    }
    const last = page.at(-1);
    if (!last || page.length < 1000) return newest.slice(-PAGE).reverse();
    after = last.seq;
  }
}

/**
 * GET /api/v1/me/usage over HTTP for a holder with 10,000 entries among
 * 110,000 (pages of 20 at random depths, the first page with its verification
 * counts one time in ten), against the same page read by scanning the log.
 */
export async function benchUsageRecord(dir: string, seconds: number, connections: number): Promise<Section> {
  const first = await startBenchVault(dir);
  await first.stop();
  const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
  const { ring } = await loadOrCreateFingerprintKeys(join(dir, 'certs'), systemClock.now());
  const fingerprinter = keyedHolderFingerprinter(ring);
  const holder = parseHolderNumber('citizen', HOLDER, systemClock);
  const mine = fingerprinter.fingerprint(holder);
  const seeding = performance.now();
  const holderSeqs: number[] = [];
  let token: string;
  let peer: { p50: number; p99: number; sorted: number[] };
  let indexed: number[];
  try {
    for (let at = 0; at < HOLDER_ENTRIES; at += PER_BATCH) {
      const count = Math.min(PER_BATCH, HOLDER_ENTRIES - at);
      await store.transaction(async (tx) => {
        for (let i = 0; i < count; i += 1) {
          const n = at + i;
          for (let other = 0; other < OTHERS_PER_ENTRY; other += 1) {
            const someone = parseHolderNumber('citizen', citizenIdFor(n * OTHERS_PER_ENTRY + other + 1), systemClock);
            await tx.audit.append({
              at: new Date().toISOString(),
              actor: { id: 'demo-clerk', role: 'clerk' },
              action: 'holder.query',
              target: null,
              details: { purpose: '办理入职审核', holderFingerprint: fingerprinter.fingerprint(someone), outcome: '2 license(s)' },
            });
          }
          const entry = await tx.audit.append({
            at: new Date().toISOString(),
            actor: { id: n % 2 === 0 ? 'demo-clerk' : 'demo-issuer', role: n % 2 === 0 ? 'clerk' : 'issuer' },
            action: ACTIONS[n % ACTIONS.length]!,
            target: null,
            details: { purpose: '办理入学登记', holderFingerprint: mine, ...(n % 2 === 0 ? {} : { department: DEMO_DEPARTMENT.creditCode }), outcome: 'read' },
          });
          holderSeqs.push(entry.seq);
        }
      });
    }
    token = (await new HolderSessions(store.holderSessions, systemClock, 3600).open({ holder, name: '李秀英' })).token;
    // The peer, in process (no HTTP, which favours it): the same pages found by scanning the log.
    const wanted = new Set(fingerprinter.candidates(holder));
    const times: number[] = [];
    indexed = [];
    for (let i = 0; i < SCANS; i += 1) {
      const before = holderSeqs[Math.floor(Math.random() * holderSeqs.length)]!;
      let started = performance.now();
      const scanned = await scannedPage(store.audit, wanted, before);
      times.push(performance.now() - started);
      started = performance.now();
      const found = await store.audit.listByHolder([...wanted], { beforeSeq: before, limit: PAGE });
      indexed.push(performance.now() - started);
      if (scanned.map((entry) => entry.seq).join() !== found.map((entry) => entry.seq).join()) throw new Error('the scan and the index disagree');
    }
    const sorted = times.sort((a, b) => a - b);
    peer = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), sorted };
    indexed.sort((a, b) => a - b);
  } finally {
    await store.close();
  }
  const seeded = (performance.now() - seeding) / 1000;
  const total = HOLDER_ENTRIES * (OTHERS_PER_ENTRY + 1);

  const vault = await startBenchVault(dir);
  try {
    let sent = 0;
    const load = {
      url: vault.base,
      headers: { cookie: `vault_holder=${token}` },
      path: () => {
        sent += 1;
        return sent % 10 === 0
          ? `/api/v1/me/usage?limit=${PAGE}`
          : `/api/v1/me/usage?limit=${PAGE}&cursor=${cursorBefore(holderSeqs[Math.floor(Math.random() * holderSeqs.length)]!)}`;
      },
      connections,
      pid: vault.child.pid!,
    };
    await httpLoad({ ...load, seconds: 2 });
    const r = await httpLoad({ ...load, seconds });
    // The same pages at a lighter load: fewer requests waiting behind each other on the one main thread.
    const light = await httpLoad({ ...load, connections: 2, seconds });
    const figures: Figure[] = [
      {
        name: `usage record of a holder with ${whole(HOLDER_ENTRIES)} entries among ${whole(total)}: latency p50 / p99 (ms)`,
        ours: `${r.p50} / ${r.p99}`,
        peer: { name: 'the same page by scanning the log (in process, p50 / p99)', value: `${fixed(peer.p50)} / ${fixed(peer.p99)}` },
        ratio: peer.p50 / Math.max(r.p50, 1e-9),
        target: 'p99 ≤ 20 ms',
        met: r.p99 <= 20,
      },
      { name: 'usage record: requests/s', ours: fixed(r.perSecond) },
      {
        name: 'usage record at 2 connections: requests/s, latency p50 / p99 (ms)',
        ours: `${fixed(light.perSecond)}, ${light.p50} / ${light.p99}`,
        target: 'p99 ≤ 20 ms',
        met: light.p99 <= 20 && light.failures === 0,
      },
      { name: 'usage record: failed requests', ours: whole(r.failures), target: '0', met: r.failures === 0 },
      { name: 'usage record: server peak RSS (MiB)', ours: fixed(r.peakRssMiB ?? Number.NaN, 0) },
      cpuFigure('usage record: ', r.cpuPerRequest, availableParallelism()),
      { name: 'the index read alone, in process: p50 / max (ms)', ours: `${fixed(percentile(indexed, 50), 2)} / ${fixed(indexed.at(-1) ?? Number.NaN, 2)}` },
    ];
    return {
      title: 'Usage record (用证记录)',
      figures,
      notes: [
        `seeded ${whole(total)} audit entries (${whole(HOLDER_ENTRIES)} of one holder, ${OTHERS_PER_ENTRY} of others between each) in ${fixed(seeded)} s, in transactions of ${whole(BATCH)}, the vault stopped.`,
        `${connections} connections (then 2), one holder session; pages of ${PAGE} at random depths through the cursor, the first page (with verification counts of the holder's licenses) one request in ten.`,
        `The peer reads the same pages by scanning the audit log in seq order and filtering by fingerprint, as \`license-vault audit holder\` did before the index, ${SCANS} times in the bench process; each of its pages was checked to equal the index's.`,
      ],
    };
  } finally {
    await vault.stop();
  }
}
