import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkiPaths } from '../../../src/adapters/pki/pki-directory.js';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import type { DepartmentRecord } from '../../../src/modules/departments/index.js';
import type { IssueCommand } from '../../../src/modules/licenses/issuance.js';
import type { LicenseRecord } from '../../../src/modules/licenses/license.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { discPng, isBlue, isRed, rasterize, SEAL_BLUE, shareOfPixels } from '../../support/rendering.js';
import { addDepartmentKeyStore, openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
/** A second key store of the same department, as after a key rotation: what `signingKey` names is what signs. */
const ROTATED_KEY = 'fz-scjgj-2027';

describe("a department's signingKey and sealImage are what issuance signs and seals with", () => {
  let vault: VaultHarness;
  let teacher: LicenseTemplate;
  let rotatedFingerprint: string;
  let verifier: StrictPdfSignatureVerifier;
  const command = (): IssueCommand => ({
    licenseType: teacher.catalogue.typeCode,
    holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
    fields: teacher.example.fields,
  });
  const configure = async (changes: Partial<Pick<DepartmentRecord, 'signingKey' | 'sealImage'>>) => {
    const current = (await vault.store.departments.get(TEST_DEPARTMENT.creditCode))!;
    await vault.store.departments.update({ ...current, ...changes });
  };
  const issue = async () => (await vault.issuance.issue(issuer, command())).license;
  const signerOf = async (license: LicenseRecord) => {
    const file = await vault.store.licenseFiles.get(license.identifier);
    const verdict = await verifier.verify(file!.bytes);
    expect(verdict.valid).toBe(true);
    return verdict.signer?.fingerprint256;
  };
  /** Serial and license number follow the last license's, so the refusal before it spent neither. */
  const expectNextNumbers = (next: LicenseRecord, last: LicenseRecord) => {
    expect(Number(next.serial)).toBe(Number(last.serial) + 1);
    expect(Number(next.licenseNumber.slice(-8))).toBe(Number(last.licenseNumber.slice(-8)) + 1);
  };
  const expectRefusedStoringNothing = async (code: string) => {
    const [licenses, audit] = [await vault.store.licenses.count(), (await vault.store.audit.last())?.seq];
    await expect(vault.issuance.issue(issuer, command())).rejects.toMatchObject({ code });
    expect([await vault.store.licenses.count(), (await vault.store.audit.last())?.seq]).toEqual([licenses, audit]);
  };

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    mkdirSync(join(pkiPaths(vault.certsDir).sealsDir, 'fuzhou'), { recursive: true });
    rotatedFingerprint = addDepartmentKeyStore(vault, ROTATED_KEY);
    verifier = new StrictPdfSignatureVerifier({
      trustedRoots: () => [{ der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) }],
      clock: vault.clock,
    });
  });
  afterAll(() => vault.close());

  test('the key store signingKey names signs, and its certificate is the one recorded', async () => {
    const original = summarizeCertificate(vault.pki.department.certificateDer).fingerprint256;
    const before = await issue();
    expect(before.certificateFingerprint).toBe(original);
    await expect(signerOf(before)).resolves.toBe(original);

    await configure({ signingKey: ROTATED_KEY });
    const after = await issue();
    expect(after.certificateFingerprint).toBe(rotatedFingerprint);
    await expect(signerOf(after)).resolves.toBe(rotatedFingerprint);
    expectNextNumbers(after, before);

    // A reissue is signed with the key the department has now, too.
    await configure({ signingKey: TEST_DEPARTMENT.creditCode });
    const reissued = await vault.issuance.reissue(issuer, after.identifier, { holderName: '李秀英' });
    await expect(signerOf(reissued)).resolves.toBe(original);
  });

  test('no signingKey: ERR_DEPARTMENT_CANNOT_ISSUE; a key store that does not exist: ERR_SIGNER_KEY_MISSING; neither stores or numbers anything', async () => {
    await configure({ signingKey: TEST_DEPARTMENT.creditCode });
    const last = await issue();
    await configure({ signingKey: null });
    await expectRefusedStoringNothing('ERR_DEPARTMENT_CANNOT_ISSUE');
    await configure({ signingKey: 'no-such-key' });
    await expectRefusedStoringNothing('ERR_SIGNER_KEY_MISSING');
    // A name that would reach outside departments/ (only a store written around the use cases can hold one) opens nothing.
    await configure({ signingKey: `../departments/${TEST_DEPARTMENT.creditCode}` });
    await expectRefusedStoringNothing('ERR_SIGNER_KEY_MISSING');
    await configure({ signingKey: TEST_DEPARTMENT.creditCode });
    expectNextNumbers(await issue(), last);
  });

  test('the seal image sealImage names is the seal on the page; without one, the drawn red seal', async () => {
    await configure({ signingKey: TEST_DEPARTMENT.creditCode, sealImage: 'fuzhou/scjgj.png' });
    writeFileSync(join(pkiPaths(vault.certsDir).sealsDir, 'fuzhou', 'scjgj.png'), discPng(240, 240, SEAL_BLUE));
    const sealed = await issue();
    await configure({ sealImage: null });
    const drawn = await issue();

    const { x, y, radius } = teacher.layout.seal;
    const pageHeight = 841.89;
    const sealArea = { x: x - radius * 0.6, y: y - radius * 0.6, width: radius * 1.2, height: radius * 1.2 };
    const page = async (license: LicenseRecord) => rasterize((await vault.store.licenseFiles.get(license.identifier))!.bytes, 72);
    const sealedPage = await page(sealed);
    expect(shareOfPixels(sealedPage, pageHeight, sealArea, isBlue)).toBeGreaterThan(0.95);
    expect(shareOfPixels(sealedPage, pageHeight, { x: 0, y: 0, width: 600, height: 850 }, isRed)).toBeLessThan(0.2);
    const drawnPage = await page(drawn);
    expect(shareOfPixels(drawnPage, pageHeight, { x: 0, y: 0, width: 600, height: 850 }, isBlue)).toBe(0);
    expect(shareOfPixels(drawnPage, pageHeight, { x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius }, isRed)).toBeGreaterThan(0.08);
    await expect(signerOf(sealed)).resolves.toBe(sealed.certificateFingerprint);
  });

  test('a seal image that is gone or damaged by issuance time: ERR_SEAL_IMAGE_UNUSABLE, nothing stored or numbered', async () => {
    await configure({ signingKey: TEST_DEPARTMENT.creditCode, sealImage: null });
    const last = await issue();
    await configure({ sealImage: 'gone.png' });
    await expectRefusedStoringNothing('ERR_SEAL_IMAGE_UNUSABLE');
    writeFileSync(join(pkiPaths(vault.certsDir).sealsDir, 'gone.png'), 'GIF89a, not a PNG');
    await expectRefusedStoringNothing('ERR_SEAL_IMAGE_UNUSABLE');
    rmSync(join(pkiPaths(vault.certsDir).sealsDir, 'gone.png'));
    await configure({ sealImage: null });
    expectNextNumbers(await issue(), last);
  });
});
