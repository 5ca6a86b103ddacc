import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFHexString, PDFName } from 'pdf-lib';
import fc from 'fast-check';
import { CadesSignedDataBuilder } from '../../../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../../../src/adapters/pki/p12/index.js';
import { StrictPdfSignatureVerifier } from '../../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../../src/adapters/pki/x509/index.js';
import { PadesSigner } from '../../../../src/modules/signing/index.js';
import { fillByteRange, fillSignature, signedRanges } from '../../../../src/lib/pdf-bytes/index.js';
import { SIGNATURE_CHECKS, type SignatureVerdict } from '../../../../src/modules/verification/index.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { makeOnePageDoc, makeOnePagePdf, makePreparedPdf, makeTempDir, SIGNING_TIME } from '../../../fixtures/pdfs.js';
import { makeTestPki } from '../../../fixtures/pki.js';
import { HOSTILE_PDFS } from '../../../support/hostile-pdfs.js';
import { signatureLayout, withByteRange } from '../../../support/signature-surgery.js';
import { uncheckedSigner } from '../../../support/tamper.js';

const NOW = new Date(SIGNING_TIME.getTime() + 3_600_000);
const pki = makeTestPki({ now: NOW });
const verifier = new StrictPdfSignatureVerifier({
  trustedRoots: () => [{ der: pki.root.certificateDer, pem: pki.rootPem, summary: summarizeCertificate(pki.root.certificateDer) }],
  clock: fixedClock(NOW.toISOString()),
});
const pades = new PadesSigner(new CadesSignedDataBuilder());

function firstFailure(verdict: SignatureVerdict): string | undefined {
  return verdict.checks.find((check) => !check.ok)?.name;
}

describe('strict PDF signature verifier', () => {
  let signed: Uint8Array;
  beforeAll(async () => {
    signed = await pades.sign(await makePreparedPdf(), await loadP12Signer({ p12: pki.department.p12, password: pki.department.password, clock: fixedClock(NOW.toISOString()) }));
  });

  test('a verdict always lists every check, in order, each with a reason', async () => {
    for (const pdf of [signed, new Uint8Array(0)]) {
      const verdict = await verifier.verify(pdf);
      expect(verdict.checks.map((check) => check.name)).toEqual([...SIGNATURE_CHECKS]);
      for (const check of verdict.checks) expect(check.detail.length).toBeGreaterThan(0);
    }
  });

  test.each([
    ['empty input', new Uint8Array(0), 'pdf-structure'],
    ['not a PDF', Buffer.from('PK\u0003\u0004 zip file'), 'pdf-structure'],
  ])('%s fails the structure check', async (_name, input, check) => {
    const verdict = await verifier.verify(input);
    expect(verdict.valid).toBe(false);
    expect(firstFailure(verdict)).toBe(check);
  });

  test('an unsigned PDF has no signature', async () => {
    expect(firstFailure(await verifier.verify(await makeOnePagePdf()))).toBe('signature-present');
  });

  test('a prepared but never signed PDF has an empty signature value', async () => {
    const verdict = await verifier.verify((await makePreparedPdf()).pdf);
    expect(firstFailure(verdict)).toBe('byte-range');
  });

  test('a signature dictionary hidden in a compressed object stream is found and refused', async () => {
    const doc = await makeOnePageDoc();
    const hidden = doc.context.register(doc.context.obj({ Type: 'Sig', ByteRange: [0, 1, 2, 3], Contents: PDFHexString.of('00') }));
    doc.catalog.set(PDFName.of('Hidden'), hidden);
    const verdict = await verifier.verify(await doc.save({ useObjectStreams: true }));
    expect(verdict.valid).toBe(false);
    expect(verdict.checks.find((check) => check.name === 'byte-range')).toMatchObject({ ok: false, detail: expect.stringContaining('object stream') });
  });

  test('a second signature dictionary fails the single-signature check', async () => {
    const doc = await makeOnePageDoc();
    doc.catalog.set(PDFName.of('Extra'), doc.context.register(doc.context.obj({ Type: 'Sig', ByteRange: [0, 1, 2, 3], Contents: PDFHexString.of('00') })));
    const { addSignaturePlaceholder, savePreparedPdf } = await import('../../../../src/adapters/pdf/signature-placeholder.js');
    const field = addSignaturePlaceholder(doc, { fieldName: 'Signature1', signingTime: SIGNING_TIME });
    const twice = await pades.sign(await savePreparedPdf(doc, field), uncheckedSigner(pki.department.privateKey, pki.department.chain));
    expect(firstFailure(await verifier.verify(twice))).toBe('single-signature');
  });

  test('a certificate not allowed to sign documents fails key usage', async () => {
    const unfit = pki.departmentWithoutSigningUsage();
    const forged = await pades.sign(await makePreparedPdf(), uncheckedSigner(unfit.privateKey, unfit.chain));
    expect(firstFailure(await verifier.verify(forged))).toBe('key-usage');
  });

  test('the root CA itself signing a license fails key usage', async () => {
    const root = pki.rootCredential();
    const forged = await pades.sign(await makePreparedPdf(), uncheckedSigner(root.privateKey, root.chain));
    const verdict = await verifier.verify(forged);
    expect(firstFailure(verdict)).toBe('key-usage');
    expect(verdict.checks.find((check) => check.name === 'key-usage')?.detail).toContain('CA certificate');
  });

  test("a signing time after the verifier's clock fails certificate validity", async () => {
    const future = new Date(NOW.getTime() + 86_400_000);
    const forged = await pades.sign(await makePreparedPdf({ signingTime: future }), uncheckedSigner(pki.department.privateKey, pki.department.chain));
    const verdict = await verifier.verify(forged);
    expect(firstFailure(verdict)).toBe('certificate-validity');
    expect(verdict.signedAt).toBe(future.toISOString());
  });

  test('trailing bytes after the CMS that are not zero padding are refused', async () => {
    const location = (await makePreparedPdf()).placeholder;
    const tampered = Buffer.from(signed);
    tampered.write('AB', location.contentsEnd - 3, 'latin1');
    expect(firstFailure(await verifier.verify(tampered))).toBe('cms-structure');
  });

  test('a byte range reaching past the end of the file fails whole-file and says so', async () => {
    const [a, b, c] = signatureLayout(signed).range.slice(1) as [number, number, number];
    const verdict = await verifier.verify(withByteRange(signed, [0, a, b, c + 100]));
    expect(firstFailure(verdict)).toBe('whole-file');
    expect(verdict.checks.find((check) => check.name === 'whole-file')?.detail).toContain(`ends at ${b + c + 100}, past the end of the ${signed.length}-byte file`);
  });

  test('SHA-1 is outside the digest allowlist', async () => {
    const temp = makeTempDir('sha1');
    try {
      writeFileSync(join(temp.dir, 'dept.pem'), pki.department.pem);
      writeFileSync(join(temp.dir, 'key.pem'), pki.department.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const { pdf: prepared, placeholder: location } = await makePreparedPdf();
      const pdf = fillByteRange(prepared, location);
      const result = spawnSync(
        'openssl',
        ['cms', '-sign', '-cades', '-binary', '-md', 'sha1', '-outform', 'DER', '-signer', join(temp.dir, 'dept.pem'), '-inkey', join(temp.dir, 'key.pem')],
        {
          input: Buffer.concat([...signedRanges(pdf, location)]),
        },
      );
      expect(result.status).toBe(0);
      expect(firstFailure(await verifier.verify(fillSignature(pdf, location, result.stdout)))).toBe('digest-algorithm');
    } finally {
      temp.cleanup();
    }
  });

  describe('hostile input yields a verdict, never an exception', () => {
    test.each(HOSTILE_PDFS.map(([name, make, check]) => [name, check, make] as const))('%s fails %s', async (_name, expected, make) => {
      const input = make();
      expect(input.length).toBeLessThanOrEqual(10 * 1024 * 1024);
      const verdict = await verifier.verify(input);
      expect(verdict.valid).toBe(false);
      expect(firstFailure(verdict)).toBe(expected);
      expect(verdict.checks).toHaveLength(SIGNATURE_CHECKS.length);
    });

    test('random mutations never throw; any mutation of the signed bytes never verifies (fast-check)', async () => {
      const gap = (await makePreparedPdf()).placeholder;
      const insideGap = (offset: number) => offset >= gap.contentsStart && offset < gap.contentsEnd;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: signed.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
          const mutated = new Uint8Array(signed);
          for (const [offset, xor] of edits) mutated[offset] = (mutated[offset] ?? 0) ^ xor;
          const verdict = await verifier.verify(mutated);
          expect(verdict.checks).toHaveLength(SIGNATURE_CHECKS.length);
          // Inside the /Contents gap only unsigned parts can change and still verify (the case of a
          // hex digit, the CMS's unsigned certificate bag): the signed content is then the same.
          return !verdict.valid || edits.every(([offset]) => insideGap(offset));
        }),
        { numRuns: 300 },
      );
    });
  });
});
