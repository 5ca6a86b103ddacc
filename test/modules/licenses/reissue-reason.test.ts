import type { Principal } from '../../../src/modules/auth/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-reissue', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

/** Issue 17: the console asks a reason (原因) for every lifecycle change, 换发 included. */
describe('a reissue says why', () => {
  let vault: VaultHarness;
  let teacher: LicenseTemplate;

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
  });
  afterAll(() => vault.close());

  const issue = async () =>
    (
      await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      })
    ).license;

  test('the reason is kept with the old version and in the audit entry, identity numbers masked', async () => {
    const old = await issue();
    const renewed = await vault.issuance.reissue(issuer, old.identifier, { reason: '证面信息有误，持证人 11010519491231002X 申请换发' });
    await expect(vault.store.licenses.findByIdentifier(old.identifier)).resolves.toMatchObject({
      status: 'superseded',
      statusReason: `reissued as ${renewed.identifier}: 证面信息有误，持证人 110105********002X 申请换发`,
    });
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'license.reissue', details: { reason: '证面信息有误，持证人 110105********002X 申请换发' } });
  });

  test('a blank reason is refused before anything changes; none at all keeps the old wording', async () => {
    const old = await issue();
    await expect(vault.issuance.reissue(issuer, old.identifier, { reason: '   ' })).rejects.toMatchObject({ code: 'ERR_REASON_REQUIRED' });
    await expect(vault.store.licenses.findByIdentifier(old.identifier)).resolves.toMatchObject({ status: 'active' });
    const renewed = await vault.issuance.reissue(issuer, old.identifier, {});
    await expect(vault.store.licenses.findByIdentifier(old.identifier)).resolves.toMatchObject({ statusReason: `reissued as ${renewed.identifier}` });
  });
});
