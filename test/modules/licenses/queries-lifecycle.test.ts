import type { Principal } from '../../../src/modules/auth/index.js';
import { buildLicenseIdentifier } from '../../../src/modules/identity/index.js';
import { LicenseLifecycle } from '../../../src/modules/licenses/lifecycle.js';
import { LicenseQueries } from '../../../src/modules/licenses/queries.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
const otherIssuer: Principal = { clientId: 'issuer-xm', role: 'issuer', department: '91350100MA2Y7K0N2T' };
const clerk: Principal = { clientId: 'clerk-1', role: 'clerk', department: null };

describe('look-up, reading and lifecycle', () => {
  let vault: VaultHarness;
  let queries: LicenseQueries;
  let lifecycle: LicenseLifecycle;
  let teacher: LicenseTemplate;
  let issued: LicenseRecord;

  beforeAll(async () => {
    vault = await openVaultHarness();
    queries = new LicenseQueries(vault.store, vault.clock);
    lifecycle = new LicenseLifecycle(vault.store, vault.clock);
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    issued = (
      await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      })
    ).license;
  });
  afterAll(() => vault.close());

  test("a clerk finds a holder's licenses with a purpose, and the look-up is audited without the full number", async () => {
    const page = await queries.lookUpHolder(clerk, { holderId: '11010519491231002x', purpose: '办理入职审核', limit: 20 });
    expect(page.items.map((l) => l.identifier)).toEqual([issued.identifier]);
    expect(page.items[0]?.effectiveStatus).toBe('active');
    const entry = await vault.store.audit.last();
    expect(entry).toMatchObject({ action: 'holder.query', actor: { id: 'clerk-1' }, details: { purpose: '办理入职审核', holder: '110105********002X', outcome: '1 license(s)' } });
    expect(JSON.stringify(entry)).not.toContain('11010519491231002X');
  });

  test('a look-up needs a purpose of 1–200 characters and a valid number', async () => {
    await expect(queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose: ' ', limit: 20 })).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    await expect(queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose: '查'.repeat(201), limit: 20 })).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    await expect(queries.lookUpHolder(clerk, { holderId: '110105194912310021', purpose: '核验', limit: 20 })).rejects.toMatchObject({ code: 'ERR_CITIZEN_ID_CHECKSUM' });
    await expect(queries.lookUpHolder(clerk, { holderId: '91350100M000100Y44', purpose: '核验', limit: 20 })).rejects.toMatchObject({ code: 'ERR_CREDIT_CODE_CHECKSUM' });
    await expect(queries.lookUpHolder(clerk, { holderId: '91350100M000100Y43', holderType: 'citizen', purpose: '核验', limit: 20 })).rejects.toMatchObject({
      code: 'ERR_CITIZEN_ID_CHARSET',
    });
    await expect(queries.lookUpHolder(clerk, { holderId: '91350100M000100Y43', purpose: '核验', limit: 20 })).resolves.toEqual({ items: [], nextCursor: null });
  });

  test("issuers see only their own department's licenses", async () => {
    await expect(queries.lookUpHolder(otherIssuer, { holderId: '11010519491231002X', purpose: '核验', limit: 20 })).resolves.toEqual({ items: [], nextCursor: null });
    await expect(queries.read(otherIssuer, issued.identifier)).rejects.toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND' });
    await expect(queries.read(issuer, issued.identifier)).resolves.toMatchObject({ identifier: issued.identifier });
  });

  test('download returns the exact signed bytes and is audited', async () => {
    const file = await queries.download(clerk, issued.identifier, '窗口办理');
    expect(file.sha256).toBe(issued.sha256);
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'license.download', target: issued.identifier, details: { purpose: '窗口办理' } });
  });

  test('suspend → reinstate → revoke; revoked is final; illegal moves are 409 codes; the expired status is derived', async () => {
    const another = (
      await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '440524188001010014', name: '张三' },
        fields: { ...teacher.example.fields, sex: '男', birthDate: '1880-01-01' },
      })
    ).license;
    await expect(lifecycle.change(issuer, another.identifier, 'reinstate')).rejects.toMatchObject({
      code: 'ERR_LICENSE_TRANSITION',
      details: { from: 'active', action: 'reinstate' },
    });
    await expect(lifecycle.change(issuer, another.identifier, 'suspend')).rejects.toMatchObject({ code: 'ERR_REASON_REQUIRED' });
    await expect(lifecycle.change(issuer, another.identifier, 'suspend', '核查中')).resolves.toMatchObject({ status: 'suspended', statusReason: '核查中', revision: 2 });
    await expect(lifecycle.change(issuer, another.identifier, 'reinstate')).resolves.toMatchObject({ status: 'active', revision: 3 });
    await expect(lifecycle.change(otherIssuer, another.identifier, 'revoke', '越权')).rejects.toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND' });
    await expect(lifecycle.change(issuer, another.identifier, 'revoke', '以欺骗手段取得')).resolves.toMatchObject({ status: 'revoked' });
    await expect(lifecycle.change(issuer, another.identifier, 'reinstate')).rejects.toMatchObject({ code: 'ERR_LICENSE_TRANSITION' });
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'license.revoke', details: { from: 'active', to: 'revoked', reason: '以欺骗手段取得' } });
  });

  test('reissue makes version n+1 of the same serial; the old one is superseded and each links to the other', async () => {
    const renewed = await vault.issuance.reissue(issuer, issued.identifier, { fields: { ...teacher.example.fields, subject: '物理' } });
    expect(renewed).toMatchObject({ serial: issued.serial, version: 2, supersedes: issued.identifier, status: 'active', fields: { subject: '物理' } });
    expect(renewed.identifier).toBe(buildLicenseIdentifier({ typeCode: issued.typeCode, issuerCreditCode: issued.issuer.creditCode, serial: issued.serial, version: 2 }));
    expect(renewed.licenseNumber).not.toBe(issued.licenseNumber);
    await expect(vault.store.licenses.findByIdentifier(issued.identifier)).resolves.toMatchObject({ status: 'superseded', statusReason: `reissued as ${renewed.identifier}` });
    await expect(vault.issuance.reissue(issuer, issued.identifier, {})).rejects.toMatchObject({ code: 'ERR_LICENSE_TRANSITION' });
    vault.clock.set('2100-01-01T00:00:00Z');
    const business = vault.templates.latest().find((t) => t.id === 'business-license') as LicenseTemplate;
    vault.clock.set('2026-11-21T02:00:00Z');
    const shortLived = (
      await vault.issuance.issue(issuer, {
        licenseType: business.catalogue.typeCode,
        holder: { type: 'organization', id: business.example.holder.id, name: business.example.holder.name },
        fields: business.example.fields,
        validUntil: '2027-01-01',
      })
    ).license;
    vault.clock.set('2027-01-02T00:00:00Z');
    await expect(queries.read(clerk, shortLived.identifier)).resolves.toMatchObject({ status: 'active', effectiveStatus: 'expired' });
    vault.clock.set('2026-11-21T02:00:00Z');
  });
});
