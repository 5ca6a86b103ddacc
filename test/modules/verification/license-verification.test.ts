import type { Principal } from '../../../src/modules/auth/index.js';
import { LicenseLifecycle } from '../../../src/modules/licenses/lifecycle.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { LicenseVerification, SIGNATURE_CHECKS, VerificationTally, type PdfSignatureVerifier, type SignatureVerdict } from '../../../src/modules/verification/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

/** A verifier like the one on a worker thread: it takes the bytes over (they are detached here) and finds the signature sound. */
const soundSignatureTakingTheBytes: PdfSignatureVerifier = {
  verify: async (pdf: Uint8Array): Promise<SignatureVerdict> => {
    structuredClone(pdf.buffer, { transfer: [pdf.buffer as ArrayBuffer] });
    return { valid: true, checks: SIGNATURE_CHECKS.map((name) => ({ name, ok: true, detail: 'ok' })), signer: null, signedAt: null, copySigner: false };
  },
};

/** A file whose document information names `identifier` as the vault writes it (UTF-16BE with a byte order mark). */
function fileNaming(identifier: string): Uint8Array {
  const utf16be = Buffer.from(identifier, 'utf16le').swap16();
  return new Uint8Array(Buffer.from(`%PDF-1.7\n1 0 obj << /LicenseIdentifier <FEFF${utf16be.toString('hex')}> >> endobj\n%%EOF\n`, 'latin1'));
}

describe('verifying a file that is not byte for byte an issued one', () => {
  let vault: VaultHarness;
  let verification: LicenseVerification;
  let identifier: string;
  let issuedBytes: Uint8Array;

  beforeAll(async () => {
    vault = await openVaultHarness();
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const { license } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    identifier = license.identifier;
    issuedBytes = (await vault.store.licenseFiles.get(identifier))!.bytes;
    verification = new LicenseVerification(vault.store, soundSignatureTakingTheBytes, vault.templates, vault.clock);
  });
  afterAll(() => vault.close());

  test("a sound signature on other bytes carrying a stored license's identifier is tampered (identifier read before the verifier takes the bytes)", async () => {
    const altered = Buffer.concat([issuedBytes, Buffer.from('\n% appended\n', 'latin1')]);
    const answer = await verification.verifyFile(new Uint8Array(altered));
    expect(answer).toMatchObject({ result: 'tampered', valid: false });
    expect(answer.checks.at(-1)).toEqual({ name: 'issued-here', ok: false, detail: 'the file carries the identifier of a license of this vault but is not that license' });
    expect(answer.license).toBeUndefined();
  });

  test('a sound signature naming an identifier this vault never issued is not-issued-here', async () => {
    const answer = await verification.verifyFile(fileNaming(`${identifier.slice(0, -1)}9`));
    expect(answer).toMatchObject({ result: 'not-issued-here', valid: false });
    expect(answer.checks.at(-1)).toMatchObject({ name: 'issued-here', detail: 'this vault has no license with the identifier the file carries' });
  });

  test('a sound signature on a file naming no identifier is not-issued-here, saying so', async () => {
    const answer = await verification.verifyFile(new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1')));
    expect(answer).toMatchObject({ result: 'not-issued-here', valid: false });
    expect(answer.checks.at(-1)).toMatchObject({ name: 'issued-here', detail: 'the file names no license identifier' });
  });
});

describe('issue 15: what verification tells a stranger', () => {
  let vault: VaultHarness;
  let verification: LicenseVerification;

  beforeAll(async () => {
    vault = await openVaultHarness();
    verification = new LicenseVerification(vault.store, soundSignatureTakingTheBytes, vault.templates, vault.clock);
  });
  afterAll(() => vault.close());

  test('a field check is consistent on a full match only; a wrong name, a wrong number and no such license are the same bare answer', async () => {
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const { license } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    await expect(verification.checkFields({ licenseNumber: license.licenseNumber, holderName: ' 李秀英', holderId: '11010519491231002x ' })).resolves.toMatchObject({
      result: 'consistent',
      license: { identifier: license.identifier, holderId: '110105********002X' },
    });
    for (const input of [
      { licenseNumber: license.licenseNumber, holderName: '李秀', holderId: '11010519491231002X' },
      { identifier: license.identifier, holderName: '李秀英', holderId: '440524188001010014' },
      { licenseNumber: 'NO-SUCH-NUMBER', holderName: '李秀英', holderId: '11010519491231002X' },
      { identifier: 'NO-SUCH-IDENTIFIER', holderName: '李秀英', holderId: '11010519491231002X' },
    ]) {
      await expect(verification.checkFields(input)).resolves.toStrictEqual({ result: 'inconsistent' });
    }
  });

  test("the status check of a revoked license gives the date it changed, not the issuer's reason", async () => {
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const { license } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    // 17:30 UTC is already the next day in China.
    vault.clock.set('2026-11-21T17:30:00Z');
    await new LicenseLifecycle(vault.store, vault.clock).change(issuer, license.identifier, 'revoke', '持证人王五冒名顶替');
    const answer = await verification.verifyFile((await vault.store.licenseFiles.get(license.identifier))!.bytes);
    expect(answer.checks).toContainEqual({ name: 'status', ok: false, detail: 'the license is revoked (since 2026-11-22)' });
    expect(JSON.stringify(answer)).not.toMatch(/王五|冒名/);
  });
});

describe('anonymous verifications counted per license', () => {
  let vault: VaultHarness;

  beforeAll(async () => {
    vault = await openVaultHarness();
  });
  afterAll(() => vault.close());

  test('the exact file, the QR code and a matching field check each count once for their license; a tampered file, a wrong code and a mismatch count nothing', async () => {
    const tally = new VerificationTally({ repository: vault.store.verificationCounts, clock: vault.clock });
    const verification = new LicenseVerification(vault.store, soundSignatureTakingTheBytes, vault.templates, vault.clock, tally);
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const { license } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    const bytes = (await vault.store.licenseFiles.get(license.identifier))!.bytes;
    await expect(verification.verifyFile(new Uint8Array(bytes))).resolves.toMatchObject({ result: 'authentic' });
    await expect(verification.verifyCode(license.identifier, license.verificationCode)).resolves.toMatchObject({ result: 'authentic' });
    await expect(verification.checkFields({ identifier: license.identifier, holderName: '李秀英', holderId: '11010519491231002X' })).resolves.toMatchObject({
      result: 'consistent',
    });
    await expect(verification.verifyFile(new Uint8Array(Buffer.concat([bytes, Buffer.from('\n% appended\n')])))).resolves.toMatchObject({ result: 'tampered' });
    await expect(verification.verifyCode(license.identifier, 'WRONG')).resolves.toBeNull();
    await expect(verification.checkFields({ identifier: license.identifier, holderName: '张三', holderId: '11010519491231002X' })).resolves.toEqual({ result: 'inconsistent' });
    await expect(vault.store.verificationCounts.totals([license.identifier])).resolves.toEqual(new Map());
    await tally.flush();
    await expect(vault.store.verificationCounts.totals([license.identifier])).resolves.toEqual(new Map([[license.identifier, 3]]));
  });
});
