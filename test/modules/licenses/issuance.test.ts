import { createHash } from 'node:crypto';
import { findAuditChainBreak } from '../../../src/modules/audit/index.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import { parseLicenseIdentifier } from '../../../src/modules/identity/index.js';
import type { IssueCommand } from '../../../src/modules/licenses/issuance.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

function commandFor(template: LicenseTemplate, overrides: Partial<IssueCommand> = {}): IssueCommand {
  return {
    licenseType: template.catalogue.typeCode,
    holder: { type: template.catalogue.holderType, id: template.example.holder.id, name: template.example.holder.name },
    fields: template.example.fields,
    ...(template.example.validUntil ? { validUntil: template.example.validUntil } : {}),
    ...overrides,
  };
}

describe('license issuance', () => {
  let vault: VaultHarness;
  let teacher: LicenseTemplate;
  let business: LicenseTemplate;
  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    business = vault.templates.latest().find((t) => t.id === 'business-license') as LicenseTemplate;
  });
  afterAll(() => vault.close());

  test('issues a signed license and stores record, exact file and audit entry together', async () => {
    const { license, replayed } = await vault.issuance.issue(issuer, commandFor(teacher, { holder: { type: 'citizen', id: '11010519491231002x', name: ' 李秀英 ' } }));
    expect(replayed).toBe(false);
    expect(license).toMatchObject({
      status: 'active',
      version: 1,
      revision: 1,
      holder: { type: 'citizen', number: '11010519491231002X', name: '李秀英' },
      validUntil: null,
      validFrom: '2026-11-21',
    });
    expect(parseLicenseIdentifier(license.identifier)).toMatchObject({
      typeCode: teacher.catalogue.typeCode,
      issuerCreditCode: TEST_DEPARTMENT.creditCode,
      serial: license.serial,
      version: 1,
    });
    expect(license.verificationCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const file = await vault.store.licenseFiles.get(license.identifier);
    expect(file).not.toBeNull();
    expect(createHash('sha256').update(file!.bytes).digest('hex')).toBe(license.sha256);
    await expect(vault.store.licenses.findByIdentifier(license.identifier)).resolves.toEqual(license);
    const entry = await vault.store.audit.last();
    expect(entry).toMatchObject({
      action: 'license.issue',
      target: license.identifier,
      actor: { id: 'issuer-fz', role: 'issuer' },
      details: { holder: '110105********002X', outcome: 'issued' },
    });
  });

  test('a fixed-term or until-date type takes its validity from the rule', async () => {
    const { license } = await vault.issuance.issue(issuer, commandFor(business));
    expect(license.validUntil).toBe(business.example.validUntil);
    await expect(vault.issuance.issue(issuer, commandFor(business, { validUntil: undefined }))).rejects.toMatchObject({ code: 'ERR_VALIDITY_INVALID' });
    await expect(vault.issuance.issue(issuer, commandFor(teacher, { validUntil: '2030-01-01' }))).rejects.toMatchObject({ code: 'ERR_VALIDITY_INVALID' });
  });

  test.each([
    ['an invalid citizen ID', { holder: { type: 'citizen', id: '110105194912310021', name: '李' } }, 'ERR_CITIZEN_ID_CHECKSUM'],
    ['an organisation holder for a citizen license', { holder: { type: 'organization', id: '91350100M000100Y43', name: '某公司' } }, 'ERR_HOLDER_TYPE_MISMATCH'],
    ['an empty holder name', { holder: { type: 'citizen', id: '11010519491231002X', name: '  ' } }, 'ERR_HOLDER_NAME_INVALID'],
    ['a bad face field', { fields: { sex: '未知' } }, 'ERR_FIELD_ENUM'],
    ['an unknown license type', { licenseType: '11100000000013338W999' }, 'ERR_LICENSE_TYPE_NOT_ALLOWED'],
  ])('%s is refused and nothing is stored', async (_name, overrides, code) => {
    const before = await vault.store.licenses.count();
    await expect(vault.issuance.issue(issuer, commandFor(teacher, overrides as Partial<IssueCommand>))).rejects.toMatchObject({ code });
    await expect(vault.store.licenses.count()).resolves.toBe(before);
  });

  test('the same Idempotency-Key and body give the same license; another body is a conflict', async () => {
    const first = await vault.issuance.issue(issuer, commandFor(teacher), 'key-1');
    const again = await vault.issuance.issue(issuer, commandFor(teacher), 'key-1');
    expect(again).toEqual({ license: first.license, replayed: true });
    await expect(vault.issuance.issue(issuer, commandFor(teacher, { fields: { ...teacher.example.fields, subject: '物理' } }), 'key-1')).rejects.toMatchObject({
      code: 'ERR_IDEMPOTENCY_KEY_REUSED',
    });
    await expect(vault.issuance.issue(issuer, commandFor(teacher), 'key with spaces')).rejects.toMatchObject({ code: 'ERR_IDEMPOTENCY_KEY_INVALID' });
  });

  test('concurrent retries with one key issue one license', async () => {
    const before = await vault.store.licenses.count();
    const results = await Promise.all(Array.from({ length: 5 }, () => vault.issuance.issue(issuer, commandFor(teacher), 'race-key')));
    expect(new Set(results.map((r) => r.license.identifier)).size).toBe(1);
    await expect(vault.store.licenses.count()).resolves.toBe(before + 1);
  });

  test('50 concurrent issuances: 50 distinct serials, identifiers and license numbers, an unbroken audit chain', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => vault.issuance.issue(issuer, commandFor(teacher))));
    const serials = results.map((r) => r.license.serial);
    expect(new Set(serials).size).toBe(50);
    expect(new Set(results.map((r) => r.license.licenseNumber)).size).toBe(50);
    const entries = await vault.store.audit.list(0, 1000);
    expect(findAuditChainBreak(entries)).toBeNull();
  });

  test('only an issuer of a department allowed the type may issue', async () => {
    await expect(vault.issuance.issue({ clientId: 'clerk-1', role: 'clerk', department: null }, commandFor(teacher))).rejects.toMatchObject({
      code: 'ERR_LICENSE_TYPE_NOT_ALLOWED',
    });
    await expect(vault.issuance.issue({ ...issuer, department: '91350100MA2Y7K0N2T' }, commandFor(teacher))).rejects.toMatchObject({ code: 'ERR_DEPARTMENT_CANNOT_ISSUE' });
  });
});
