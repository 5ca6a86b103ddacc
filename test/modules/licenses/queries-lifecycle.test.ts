import type { Principal } from '../../../src/modules/auth/index.js';
import { buildLicenseIdentifier } from '../../../src/modules/identity/index.js';
import { LicenseLifecycle } from '../../../src/modules/licenses/lifecycle.js';
import { fingerprintsFor, unkeyedHolderFingerprint, type LicenseQueries, type LicenseRecord } from '../../../src/modules/licenses/index.js';
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
    queries = vault.queries;
    lifecycle = new LicenseLifecycle(vault.store, vault.clock, vault.fingerprinter);
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
    // Keyed (issue 15): the unsalted SHA-256 an enumeration of birth dates reverses is not what is stored.
    const holder = { type: 'citizen', value: '11010519491231002X' } as const;
    expect(entry?.details['holderFingerprint']).toBe(vault.fingerprinter.fingerprint(holder));
    expect(entry?.details['holderFingerprint']).toMatch(/^hmac-sha256:fp-[0-9]{8}-[0-9a-f]{6}:[0-9a-f]{64}$/);
    expect(JSON.stringify(entry)).not.toContain(unkeyedHolderFingerprint(holder));
    expect(fingerprintsFor(vault.fingerprinter, '11010519491231002x', undefined, vault.clock)).toContain(entry?.details['holderFingerprint']);
  });

  // Issue 15: a purpose of 'x' or '...' was accepted and a read needed none at all.
  test.each(['x', '...', '1234', '!!!!', 'aaaa', '  查  ', '查 1', '————'])('a look-up, read or download refuses the purpose %j', async (purpose) => {
    const before = (await vault.store.audit.last())?.seq;
    await expect(queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose, limit: 20 })).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    await expect(queries.read(clerk, issued.identifier, purpose)).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    await expect(queries.download(clerk, issued.identifier, purpose)).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    expect((await vault.store.audit.last())?.seq).toBe(before);
  });

  test('reads and downloads are audited with their purpose; an ID number typed into a purpose is masked before it is stored', async () => {
    await queries.read(clerk, issued.identifier, '核对 11010519491231002X 的资格');
    await expect(vault.store.audit.last()).resolves.toMatchObject({
      action: 'license.read',
      target: issued.identifier,
      details: { purpose: '核对 110105********002X 的资格', outcome: 'read' },
    });
    await queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose: '为440524188001010014办理', limit: 1 });
    const lookup = await vault.store.audit.last();
    expect(lookup?.details['purpose']).toBe('为440524********0014办理');
    expect(JSON.stringify(lookup)).not.toMatch(/11010519491231002X|440524188001010014/);
  });

  test('a look-up needs a purpose of 4–200 characters and a valid number', async () => {
    await expect(queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose: ' ', limit: 20 })).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    await expect(queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose: '查'.repeat(201), limit: 20 })).rejects.toMatchObject({ code: 'ERR_PURPOSE_REQUIRED' });
    await expect(queries.lookUpHolder(clerk, { holderId: '110105194912310021', purpose: '核验身份信息', limit: 20 })).rejects.toMatchObject({ code: 'ERR_CITIZEN_ID_CHECKSUM' });
    await expect(queries.lookUpHolder(clerk, { holderId: '91350100M000100Y44', purpose: '核验身份信息', limit: 20 })).rejects.toMatchObject({ code: 'ERR_CREDIT_CODE_CHECKSUM' });
    await expect(queries.lookUpHolder(clerk, { holderId: '91350100M000100Y43', holderType: 'citizen', purpose: '核验身份信息', limit: 20 })).rejects.toMatchObject({
      code: 'ERR_CITIZEN_ID_CHARSET',
    });
    await expect(queries.lookUpHolder(clerk, { holderId: '91350100M000100Y43', purpose: '核验身份信息', limit: 20 })).resolves.toEqual({ items: [], nextCursor: null });
  });

  test("issuers see only their own department's licenses", async () => {
    await expect(queries.lookUpHolder(otherIssuer, { holderId: '11010519491231002X', purpose: '核验身份信息', limit: 20 })).resolves.toEqual({ items: [], nextCursor: null });
    await expect(queries.read(otherIssuer, issued.identifier, '核验身份信息')).rejects.toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND' });
    await expect(queries.read(issuer, issued.identifier, '核验身份信息')).resolves.toMatchObject({ identifier: issued.identifier });
  });

  test('download returns the exact signed bytes and is audited', async () => {
    const file = await queries.download(clerk, issued.identifier, '窗口办理');
    expect(file.sha256).toBe(issued.sha256);
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'license.download', target: issued.identifier, details: { purpose: '窗口办理' } });
  });

  test("reads, downloads and status changes name the license's holder by fingerprint and the acting department, so the holder's usage record finds them", async () => {
    const holderFingerprint = vault.fingerprinter.fingerprint({ type: 'citizen', value: '11010519491231002X' });
    const before = (await vault.store.audit.last())!.seq;
    await queries.read(clerk, issued.identifier, '核验身份信息');
    await queries.download(issuer, issued.identifier, '窗口办理');
    await lifecycle.change(issuer, issued.identifier, 'suspend', '核查中');
    await lifecycle.change(issuer, issued.identifier, 'reinstate');
    const mine = await vault.store.audit.listByHolder([holderFingerprint], { limit: 4 });
    expect(mine.map((entry) => [entry.action, entry.details['department'] ?? null])).toEqual([
      ['license.reinstate', TEST_DEPARTMENT.creditCode],
      ['license.suspend', TEST_DEPARTMENT.creditCode],
      ['license.download', TEST_DEPARTMENT.creditCode],
      ['license.read', null],
    ]);
    expect(mine.every((entry) => entry.seq > before && entry.details['holderFingerprint'] === holderFingerprint)).toBe(true);
    expect(JSON.stringify(mine)).not.toContain('11010519491231002X');
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

  test('an ID number in a status reason is masked before the license or the audit log keeps it (issue 15)', async () => {
    const another = (
      await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      })
    ).license;
    const changed = await lifecycle.change(issuer, another.identifier, 'suspend', '持证人11010519491231002X涉嫌冒用');
    expect(changed.statusReason).toBe('持证人110105********002X涉嫌冒用');
    await expect(vault.store.licenses.findByIdentifier(another.identifier)).resolves.toMatchObject({ statusReason: '持证人110105********002X涉嫌冒用' });
    await expect(vault.store.audit.last()).resolves.toMatchObject({ details: { reason: '持证人110105********002X涉嫌冒用' } });
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
    await expect(queries.read(clerk, shortLived.identifier, '办理变更登记')).resolves.toMatchObject({ status: 'active', effectiveStatus: 'expired' });
    vault.clock.set('2026-11-21T02:00:00Z');
  });
});
