import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pkiPaths } from '../../../src/adapters/pki/pki-directory.js';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import { runCli } from '../../../src/cli/main.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import { checkVaultConsistency, type ConsistencyReport } from '../../../src/modules/integrity/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { buildLicenseIdentifier } from '../../../src/modules/identity/index.js';
import { LicenseImport } from '../../../src/modules/licenses/bulk-import.js';
import { CITIZEN_A, CITIZEN_B } from '../../fixtures/licenses.js';
import { historicalRecord } from '../../support/historical-records.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

describe('the consistency check (license-vault fsck)', () => {
  let vault: VaultHarness;
  let teacher: LicenseTemplate;
  const check = (): Promise<ConsistencyReport> =>
    checkVaultConsistency({
      store: vault.store,
      verifier: new StrictPdfSignatureVerifier({
        trustedRoots: () => [{ der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) }],
        clock: vault.clock,
      }),
    });
  const failing = (report: ConsistencyReport) => report.checks.filter((c) => !c.ok).map((c) => c.name);
  const problemsOf = (report: ConsistencyReport, name: string) => report.checks.find((c) => c.name === name)?.problems ?? [];
  const sql = (statement: string, ...params: unknown[]) => {
    const db = new Database(join(vault.dir, 'vault.db'));
    try {
      db.prepare(statement).run(...params);
    } finally {
      db.close();
    }
  };
  const issue = async (id = CITIZEN_A) =>
    (await vault.issuance.issue(issuer, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id, name: '李秀英' }, fields: teacher.example.fields })).license;

  beforeEach(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
  });
  afterEach(() => vault.close());

  test('a vault that issued, reissued and abandoned an issuance is consistent, the abandoned numbers explained by their reservations', async () => {
    const first = await issue();
    await issue(CITIZEN_B);
    await vault.issuance.reissue(issuer, first.identifier, { holderName: '李秀英（更名）' });
    // An issuance cut short after its serial and license number were reserved (the process died while rendering).
    const year = vault.clock.now().toISOString().slice(0, 4);
    await vault.store.licenses.reserveNumbers(
      [
        { scope: teacher.catalogue.typeCode, issuerCreditCode: TEST_DEPARTMENT.creditCode },
        { scope: `license-number:${year}`, issuerCreditCode: TEST_DEPARTMENT.creditCode },
      ],
      '2026-11-21T02:00:00.000Z',
    );
    const report = await check();
    expect(failing(report)).toEqual([]);
    expect(report).toMatchObject({ ok: true, licenses: 3, auditEntries: 3 });
    expect(report.checks.find((c) => c.name === 'serials')?.detail).toContain('; 2 reserved but never stored');
  });

  test('a file that no longer hashes to its record, or whose signature fails, is named', async () => {
    const license = await issue();
    const other = await issue(CITIZEN_B);
    sql("UPDATE license_files SET bytes = CAST('%PDF-1.7 replaced' AS BLOB) WHERE identifier = ?", license.identifier);
    // The other file altered with both hashes updated to match: only the signature can tell.
    const db = new Database(join(vault.dir, 'vault.db'));
    const row = db.prepare('SELECT bytes FROM license_files WHERE identifier = ?').get(other.identifier) as { bytes: Buffer };
    const altered = Buffer.from(row.bytes);
    const at = altered.indexOf('/LicenseIdentifier');
    altered[at + 1] = 'l'.charCodeAt(0);
    const sha = createHash('sha256').update(altered).digest('hex');
    db.prepare('UPDATE license_files SET bytes = ?, sha256 = ? WHERE identifier = ?').run(altered, sha, other.identifier);
    db.prepare('UPDATE licenses SET sha256 = ? WHERE identifier = ?').run(sha, other.identifier);
    db.close();
    const report = await check();
    expect(failing(report)).toEqual(['license-files', 'signatures']);
    expect(problemsOf(report, 'license-files')).toEqual([expect.stringContaining(`${license.identifier}: the stored file hashes to`)]);
    expect(problemsOf(report, 'signatures')).toEqual([`${other.identifier}: message-digest fails`]);
  });

  test('an audit entry removed shows as a license without its creation and as a broken chain', async () => {
    const license = await issue();
    await issue(CITIZEN_B);
    sql("DELETE FROM audit_log WHERE target = ? AND action = 'license.issue'", license.identifier);
    const report = await check();
    expect(failing(report)).toEqual(['audit-correspondence', 'audit-chain']);
    expect(problemsOf(report, 'audit-correspondence')).toEqual([`${license.identifier}: no audit entry records its creation`]);
  });

  test('a number handed out with no license and no reservation is an unexplained gap; a counter behind its licenses would repeat a serial', async () => {
    await issue();
    sql('UPDATE serial_counters SET last = last + 1 WHERE scope = ?', teacher.catalogue.typeCode);
    let report = await check();
    expect(failing(report)).toEqual(['serials']);
    expect(problemsOf(report, 'serials')).toEqual([
      `counter ${teacher.catalogue.typeCode} of ${TEST_DEPARTMENT.creditCode}: 2 was handed out but is neither held, reserved nor skipped (an unexplained gap)`,
    ]);

    sql('UPDATE serial_counters SET last = 0 WHERE scope = ?', teacher.catalogue.typeCode);
    report = await check();
    expect(problemsOf(report, 'serials')).toEqual([expect.stringContaining('1 is held by a license but the counter is at 0, so it would be handed out again')]);
  });

  test("licenses imported in this vault's own numbering move its counters past them; fsck finds the skipped numbers explained", async () => {
    const { typeCode } = teacher.catalogue;
    const year = vault.clock.now().toISOString().slice(0, 4);
    const imported = (serial: string, running: string) => {
      const { record, file } = historicalRecord(Number(serial), () => 7);
      return {
        record: {
          ...record,
          identifier: buildLicenseIdentifier({ typeCode, issuerCreditCode: TEST_DEPARTMENT.creditCode, serial, version: 1 }),
          licenseType: typeCode,
          issuer: { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name },
          licenseNumber: `${vault.department.divisionCode}${year}${running}`,
        },
        file,
      };
    };
    const items = [imported('00000003', '00000009'), imported('00000005', '00000004')].map((item, index) => ({ line: index + 1, ...item }));
    const outcomes = await new LicenseImport(vault.store, vault.clock).importBatch(items, { mode: 'strict', actor: 'migration', isKnownLicenseType: () => true });
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['imported', 'imported']);

    const next = await issue();
    expect(next.serial).toBe('00000006');
    expect(next.licenseNumber).toBe(`${vault.department.divisionCode}${year}00000010`);
    const skips = (await vault.store.audit.list(0, 100)).filter((entry) => entry.action === 'serial.skip').map((entry) => entry.details);
    expect(skips).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: typeCode, from: 1, through: 5, reason: 'import' }),
        expect.objectContaining({ scope: `license-number:${year}`, from: 1, through: 9, reason: 'import' }),
      ]),
    );
    const report = await check();
    expect(failing(report)).toEqual([]);
    expect(report.checks.find((c) => c.name === 'serials')?.detail).toContain('14 skipped by import or reconcile');
  });

  test('license-vault fsck prints the report and exits 0 when consistent, 1 when not', async () => {
    await issue();
    const trust = pkiPaths(join(vault.dir, 'certs')).trustDir;
    mkdirSync(trust, { recursive: true });
    writeFileSync(join(trust, 'root.pem'), vault.pki.rootPem);
    let output = '';
    const run = () =>
      runCli(['fsck'], { out: (text) => void (output += text), env: { VAULT_DATA_DIR: vault.dir, VAULT_CERTS_DIR: join(vault.dir, 'certs') }, now: () => vault.clock.now() });
    await expect(run()).resolves.toBe(0);
    expect(output).toMatch(/^CONSISTENT: 1 licenses, 1 audit entries\n/);
    sql('DELETE FROM serial_reservations');
    sql('UPDATE serial_counters SET last = last + 2');
    output = '';
    await expect(run()).resolves.toBe(1);
    expect(output).toContain('NOT CONSISTENT');
    expect(output).toContain('FAIL serials');
  });
});
