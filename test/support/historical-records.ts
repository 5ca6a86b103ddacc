import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildLicenseIdentifier, citizenIdCheckChar } from '../../src/modules/identity/index.js';
import type { ImportItem } from '../../src/modules/licenses/bulk-import.js';

/**
 * TEST FIXTURE: historical (存量) license records as an older system would
 * export them, each with a small file of its own, for import tests and for
 * seeding benchmarks through the vault's own import path.
 */

export const HISTORICAL_TYPE = '11100000000013338W001';
export const HISTORICAL_ISSUER = { creditCode: '11350100DEM000014R', name: '演示市数据管理局（开发测试）' };
const DAY = 86_400_000;

/** A valid citizen ID number for holder `h` (distinct for h < 20,000,000). */
export function citizenIdFor(h: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(h / 1000) * DAY).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110105${birth}${String(h % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

/** Which holder record `i` belongs to. */
export type HolderOf = (i: number) => number;

/** Record `i` and its file, held by holder `holderOf(i)`. */
export function historicalRecord(i: number, holderOf: HolderOf): { record: Record<string, unknown>; file: Buffer } {
  const file = Buffer.from(`%PDF-1.4\n% historical license ${i}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`, 'latin1');
  const serial = `H${String(i).padStart(9, '0')}`;
  return {
    record: {
      identifier: buildLicenseIdentifier({ typeCode: HISTORICAL_TYPE, issuerCreditCode: HISTORICAL_ISSUER.creditCode, serial, version: 1 }),
      licenseNumber: `3501002019${String(i).padStart(8, '0')}`,
      licenseType: HISTORICAL_TYPE,
      holder: { type: 'citizen', id: citizenIdFor(holderOf(i)), name: '存量持证人' },
      issuer: HISTORICAL_ISSUER,
      divisionCode: '350100',
      issuedAt: '2019-06-01T02:00:00Z',
      validFrom: '2019-06-01',
      validUntil: null,
      fields: { qualificationType: '高级中学教师资格', subject: '数学' },
      file: `${serial}.pdf`,
      sha256: createHash('sha256').update(file).digest('hex'),
    },
    file,
  };
}

/** Import items for records [from, to), with their files in memory. */
export function historicalItems(from: number, to: number, holderOf: HolderOf): ImportItem[] {
  const items: ImportItem[] = [];
  for (let i = from; i < to; i += 1) {
    const { record, file } = historicalRecord(i, holderOf);
    items.push({ line: i + 1, record, file });
  }
  return items;
}

/** Writes `records.jsonl` and one file per record under `dir`; returns the records file's path. */
export async function writeHistoricalImport(
  dir: string,
  count: number,
  holderOf: HolderOf,
  edit: (record: Record<string, unknown>, i: number) => Record<string, unknown> = (r) => r,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'records.jsonl');
  const out = createWriteStream(path);
  for (let i = 0; i < count; i += 1) {
    const { record, file } = historicalRecord(i, holderOf);
    await writeFile(join(dir, String(record.file)), file);
    if (!out.write(`${JSON.stringify(edit(record, i))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}
