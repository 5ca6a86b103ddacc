import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fingerprintKeyFile } from '../../../src/adapters/keys/fingerprint-keys.js';
import { backupSqliteDatabase } from '../../../src/adapters/storage/sqlite/backup.js';
import { fingerprintsFor, unkeyedHolderFingerprint } from '../../../src/modules/licenses/index.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const NUMBER = '11010519491231002X';
const clerk = { clientId: 'clerk-1', role: 'clerk', department: null } as const;

/**
 * Every citizen number an attacker who read the masked `110105********002X`
 * would try: the 8 hidden digits are a birth date, so one candidate per day
 * of 1940–1989 (18,263), with the sequence code and check character shown.
 */
function candidateNumbers(): string[] {
  const numbers: string[] = [];
  for (let day = Date.UTC(1940, 0, 1); day <= Date.UTC(1989, 11, 31); day += 86_400_000) {
    numbers.push(`110105${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}002X`);
  }
  return numbers;
}

/** Issue 15, item 1: a look-up's audit entry held an unsalted SHA-256 of the number, which about 18,000 hashes reverse. */
describe('no way back from the audit log to an ID number', () => {
  let vault: VaultHarness;

  beforeAll(async () => {
    vault = await openVaultHarness();
  });
  afterAll(() => vault.close());

  test('given the store and a backup of it but not the key, no enumerated number matches a stored fingerprint; with the key, the auditor finds the entry', async () => {
    await vault.queries.lookUpHolder(clerk, { holderId: NUMBER, purpose: '办理入学登记', limit: 20 });
    const backup = join(vault.dir, 'backup.db');
    await backupSqliteDatabase(join(vault.dir, 'vault.db'), backup);
    const db = new Database(backup, { readonly: true });
    const rows = db.prepare('SELECT details FROM audit_log').all() as { details: string }[];
    db.close();
    const stored = new Set(rows.map((row) => (JSON.parse(row.details) as Record<string, unknown>)['holderFingerprint']).filter((value) => typeof value === 'string'));
    expect(stored.size).toBe(1);
    const backupBytes = readFileSync(backup).toString('latin1');

    const started = performance.now();
    const wrongKey = randomBytes(32);
    const candidates = candidateNumbers();
    expect(candidates).toHaveLength(18_263);
    expect(candidates).toContain(NUMBER);
    let matches = 0;
    let guessedBefore = false;
    for (const number of candidates) {
      const unkeyed = createHash('sha256').update(`citizen:${number}`).digest('hex');
      const guessedHmac = createHmac('sha256', wrongKey).update(unkeyed).digest('hex');
      for (const guess of [unkeyed, guessedHmac]) if ([...stored].some((fingerprint) => fingerprint.includes(guess))) matches += 1;
      if (backupBytes.includes(unkeyed)) matches += 1;
      // What the audit log held before issue 15: the same walk would have found it.
      if (unkeyed === unkeyedHolderFingerprint({ type: 'citizen', value: NUMBER })) guessedBefore = true;
    }
    expect(matches).toBe(0);
    expect(guessedBefore).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);

    // The positive control: the auditor, with the key, finds the entry by the number.
    const searched = fingerprintsFor(vault.fingerprinter, NUMBER, undefined, vault.clock);
    expect(searched.filter((fingerprint) => stored.has(fingerprint))).toHaveLength(1);
    // The key is kept with the keys, not in the store: neither the backup nor the database holds it.
    const secret = Object.values((JSON.parse(readFileSync(fingerprintKeyFile(vault.certsDir), 'utf8')) as { keys: Record<string, string> }).keys)[0]!;
    expect(backupBytes).not.toContain(secret);
    expect(backupBytes).not.toContain(Buffer.from(secret, 'base64').toString('latin1'));
  });
});
