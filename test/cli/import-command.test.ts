import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { StrictPdfSignatureVerifier } from '../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { loadTemplateDirectory } from '../../src/adapters/templates/template-directory.js';
import { runCli } from '../../src/cli/main.js';
import { LicenseVerification } from '../../src/modules/verification/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { buildLicenseIdentifier } from '../../src/modules/identity/index.js';
import { citizenIdFor, HISTORICAL_ISSUER, historicalRecord, writeHistoricalImport } from '../support/historical-records.js';

const fiveHolders = (i: number): number => i % 5;

describe('license-vault import (存量入库)', () => {
  let dir: string;
  let output: string;
  const env = () => ({ VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs'), VAULT_TEMPLATES_DIR: join(__dirname, '../../templates') });
  const run = (...argv: string[]) => runCli(argv, { out: (text) => void (output += text), env: env(), now: () => new Date() });
  const openStore = () => openSqliteStore({ file: join(dir, 'data', 'vault.db') });

  /** Ten good records, then: a file that does not match its checksum, a type the catalogue lacks, a bad holder number, broken JSON, a missing file, and record 0 again. */
  const writeRecords = async (): Promise<string> => {
    const records = await writeHistoricalImport(join(dir, 'import'), 15, fiveHolders, (record, i) => {
      if (i === 10) return { ...record, sha256: '0'.repeat(64) };
      if (i === 11)
        return {
          ...record,
          licenseType: '91350100M000100Y43999',
          identifier: buildLicenseIdentifier({ typeCode: '91350100M000100Y43999', issuerCreditCode: HISTORICAL_ISSUER.creditCode, serial: 'H000000011', version: 1 }),
        };
      if (i === 12) return { ...record, holder: { type: 'citizen', id: '110105194912310021', name: '错号' } };
      if (i === 13) return { ...record, file: 'nowhere.pdf' };
      return record;
    });
    appendFileSync(records, '{"identifier": broken\n');
    appendFileSync(records, `${JSON.stringify(historicalRecord(0, fiveHolders).record)}\n`);
    return records;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-import-'));
    output = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('strict: good records are imported and audited, every other line is refused or skipped with its reason (exit 1)', async () => {
    const records = await writeRecords();
    const report = join(dir, 'report.jsonl');
    await expect(run('import', records, '--report', report)).resolves.toBe(1);
    expect(output).toMatch(/import \(strict\): 17 records in [\d.]+ s/);
    expect(output).toContain('imported 11, flagged for review 0, skipped 1, refused 5');
    expect(output).toMatch(/line 11 \S+: checksum-mismatch \(strict mode/);
    expect(output).toMatch(/line 12 \S+: unknown-license-type/);
    expect(output).toMatch(/line 13 \S+: ERR_CITIZEN_ID_CHECKSUM/);
    expect(output).toMatch(/line 14 \S+: file nowhere\.pdf cannot be read/);
    expect(output).toContain('line 16 (no identifier): not a JSON record');
    expect(output).toMatch(/line 17 \S+: appears earlier in this import/);
    expect(readFileSync(report, 'utf8').trim().split('\n')).toHaveLength(6);

    const store = openStore();
    try {
      await expect(store.licenses.count()).resolves.toBe(11);
      const page = await store.licenses.listByHolder({ holderType: 'citizen', holderNumber: citizenIdFor(1), limit: 50 });
      expect(page.items.map((license) => license.identifier)).toHaveLength(2);
      expect(page.items[0]).toMatchObject({ status: 'active', templateVersion: 'imported', certificateFingerprint: '' });
      const entries = await store.audit.list(0, 100);
      expect(entries.filter((entry) => entry.action === 'license.import')).toHaveLength(11);
      expect(JSON.stringify(entries)).not.toContain(citizenIdFor(1));
      // The exact file imported verifies as authentic: the vault vouches for the bytes it took in.
      const verification = new LicenseVerification(
        store,
        new StrictPdfSignatureVerifier({ trustedRoots: () => [], clock: systemClock }),
        await loadTemplateDirectory(env().VAULT_TEMPLATES_DIR, systemClock),
        systemClock,
      );
      await expect(verification.verifyFile(historicalRecord(1, fiveHolders).file)).resolves.toMatchObject({ result: 'authentic' });
    } finally {
      await store.close();
    }

    output = '';
    await expect(run('import', records)).resolves.toBe(1);
    expect(output).toContain('imported 0, flagged for review 0, skipped 12, refused 5');
  });

  test('lenient: a checksum mismatch or an unknown type is taken in suspended for review, and never verifies as authentic', async () => {
    const records = await writeRecords();
    await expect(run('import', records, '--lenient')).resolves.toBe(1);
    expect(output).toContain('imported 11, flagged for review 2, skipped 1, refused 3');
    expect(output).toMatch(/flagged \(taken in suspended, for review\):\n {2}line 11 \S+: checksum-mismatch\n {2}line 12 \S+: unknown-license-type/);
    const store = openStore();
    try {
      const mismatched = await store.licenses.findByIdentifier(String(historicalRecord(10, fiveHolders).record.identifier));
      expect(mismatched).toMatchObject({ status: 'suspended', statusReason: '存量入库待核验: checksum-mismatch' });
      const verification = new LicenseVerification(
        store,
        new StrictPdfSignatureVerifier({ trustedRoots: () => [], clock: systemClock }),
        await loadTemplateDirectory(env().VAULT_TEMPLATES_DIR, systemClock),
        systemClock,
      );
      await expect(verification.verifyFile(historicalRecord(10, fiveHolders).file)).resolves.toMatchObject({ result: 'suspended', valid: false });
    } finally {
      await store.close();
    }
  });

  test('usage errors exit 2', async () => {
    await expect(run('import')).resolves.toBe(2);
    await expect(run('import', 'a.jsonl', '--batch', '0')).resolves.toBe(2);
  });
});
