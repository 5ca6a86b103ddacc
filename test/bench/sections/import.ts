import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeHistoricalImport } from '../../support/historical-records.js';
import { whole, type Section } from '../report.js';

/** Runs the built CLI's import on `records` into a fresh data dir; its own records/s figure. */
function runImport(records: string, dataDir: string, batch: number): { perSecond: number; summary: string } {
  const summary = execFileSync(process.execPath, ['dist/cli/main.js', 'import', records, '--batch', String(batch)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', VAULT_DATA_DIR: dataDir, VAULT_CERTS_DIR: join(dataDir, 'certs') },
  });
  const rate = /\((\d+)\/s\)/.exec(summary)?.[1];
  if (!rate || !summary.includes('refused 0')) throw new Error(`import did not finish cleanly:\n${summary}`);
  return { perSecond: Number(rate), summary };
}

/**
 * 存量入库: `license-vault import` of historical records with their files
 * (each file read and its checksum checked), in batches of 1,000 per
 * transaction, against the same import committing one record at a time.
 */
export async function benchImport(dir: string, count: number): Promise<Section> {
  const records = await writeHistoricalImport(join(dir, 'records'), count, (i) => Math.floor(i / 2));
  const ours = runImport(records, join(dir, 'batched'), 1000);
  const naiveCount = Math.min(count, 10_000);
  const naiveRecords = await writeHistoricalImport(join(dir, 'records-naive'), naiveCount, (i) => Math.floor(i / 2));
  const naive = runImport(naiveRecords, join(dir, 'naive'), 1);
  return {
    title: 'Bulk import of historical licenses (存量入库)',
    figures: [
      {
        name: 'records/s',
        ours: whole(ours.perSecond),
        peer: { name: 'one transaction per record', value: whole(naive.perSecond) },
        ratio: ours.perSecond / naive.perSecond,
        target: '≥ 5,000/s',
        met: ours.perSecond >= 5000,
      },
    ],
    notes: [
      `${whole(count)} records with their files (peer: ${whole(naiveCount)}), strict mode, each file read and hashed, each license audited: \`${ours.summary.split('\n')[0]}\`.`,
    ],
  };
}
