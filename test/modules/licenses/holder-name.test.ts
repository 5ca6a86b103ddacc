import type { Principal } from '../../../src/modules/auth/index.js';
import { parseLicenseIdentifier } from '../../../src/modules/identity/index.js';
import { HOLDER_NAME_MAX_LENGTH, isAcceptableHolderName, type IssueCommand } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

/** Names that look like one thing and are another, or carry markup. */
export const REFUSED_HOLDER_NAMES: readonly (readonly [string, string])[] = [
  ['a right-to-left override (U+202E)', '李\u202e英秀'],
  ['a left-to-right embedding (U+202A)', '\u202a李秀英'],
  ['a zero-width space (U+200B)', '李\u200b秀英'],
  ['a zero-width non-joiner (U+200C)', '李\u200c秀英'],
  ['a zero-width joiner (U+200D)', '李\u200d秀英'],
  ['a word joiner (U+2060)', '李秀\u2060英'],
  ['a byte order mark (U+FEFF) inside', '李\ufeff秀英'],
  ['a soft hyphen (U+00AD)', '李\u00ad秀英'],
  ['a line separator (U+2028)', '李\u2028秀英'],
  ['a control character (U+0007)', '李\u0007秀英'],
  ['a newline inside', '李\n秀英'],
  ['a private-use character (U+E000)', '李\ue000'],
  ['markup', '<b>李秀英</b>'],
  ['a lone >', '李秀英>'],
  ['nothing but spaces', '   '],
  ['101 characters', '李'.repeat(HOLDER_NAME_MAX_LENGTH + 1)],
];

describe('holder names', () => {
  test.each(REFUSED_HOLDER_NAMES)('%s is refused', (_what, name) => {
    expect(isAcceptableHolderName(name.trim())).toBe(false);
  });

  test.each([
    ['a Chinese name', '李秀英'],
    ['a name with a middle dot', '买买提·艾力'],
    ['a company with an ampersand and brackets', '福州某某科技有限公司（R&D 中心）'],
    ['a Latin name with an apostrophe', "O'Brien-Smith"],
    ['an extension-B character', '𠮷野家'],
    ['100 characters', '李'.repeat(HOLDER_NAME_MAX_LENGTH)],
  ])('%s is accepted', (_what, name) => {
    expect(isAcceptableHolderName(name)).toBe(true);
  });

  describe('in issuance', () => {
    const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
    let vault: VaultHarness;
    let teacher: LicenseTemplate;
    const command = (name: string): IssueCommand => ({
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: teacher.example.holder.id, name },
      fields: teacher.example.fields,
    });
    const serialOf = (identifier: string) => Number(parseLicenseIdentifier(identifier).serial);

    beforeAll(async () => {
      vault = await openVaultHarness();
      teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    });
    afterAll(() => vault.close());

    test('a refused name is ERR_HOLDER_NAME_INVALID before a serial is spent: the next license takes the next serial', async () => {
      const first = await vault.issuance.issue(issuer, command('李秀英'));
      const count = await vault.store.licenses.count();
      for (const [, name] of REFUSED_HOLDER_NAMES) await expect(vault.issuance.issue(issuer, command(name))).rejects.toMatchObject({ code: 'ERR_HOLDER_NAME_INVALID' });
      await expect(vault.store.licenses.count()).resolves.toBe(count);
      const next = await vault.issuance.issue(issuer, command('李秀英'));
      expect(serialOf(next.license.identifier)).toBe(serialOf(first.license.identifier) + 1);
    });

    test('a reissue under a refused name changes nothing', async () => {
      const { license } = await vault.issuance.issue(issuer, command('李秀英'));
      await expect(vault.issuance.reissue(issuer, license.identifier, { holderName: '李\u202e英秀' })).rejects.toMatchObject({ code: 'ERR_HOLDER_NAME_INVALID' });
      await expect(vault.store.licenses.findByIdentifier(license.identifier)).resolves.toMatchObject({ status: 'active', holder: { name: '李秀英' } });
    });
  });
});
