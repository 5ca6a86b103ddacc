import { createHash } from 'node:crypto';
import { locateSignaturePlaceholder, scanPdfSignatures, type PreparedPdf } from '../../../src/lib/pdf-bytes/index.js';
import { PadesSigner, type CmsSignatureBuilder, type Signer } from '../../../src/modules/signing/index.js';
import { SigningError } from '../../../src/shared/errors.js';
import { makeOnePagePdf, makePreparedPdf } from '../../fixtures/pdfs.js';

/** A CMS builder that records the digest it was asked to sign and answers with fixed bytes (the CMS itself is the pki adapter's, tested there). */
function recordingCms(cms: Uint8Array): CmsSignatureBuilder & { digests: Buffer[] } {
  const digests: Buffer[] = [];
  return {
    digests,
    createDetachedSignature: async (digest) => {
      digests.push(Buffer.from(digest));
      return cms;
    },
  };
}

/** Never asked for anything: the CMS builder above does not use it. */
const signer = {} as Signer;
const CMS = new Uint8Array([0x30, 0x82, 0x01, 0x02, 0xaa, 0xbb]);

describe('PadesSigner', () => {
  let prepared: PreparedPdf;
  beforeAll(async () => {
    prepared = await makePreparedPdf();
  });

  test('signs at the offsets the renderer gives: the digest covers the whole file but the gap, the CMS lands in the gap', async () => {
    const cms = recordingCms(CMS);
    const original = Buffer.from(prepared.pdf);
    const signed = await new PadesSigner(cms).sign(prepared, signer);
    expect(Buffer.from(prepared.pdf).equals(original)).toBe(true);
    expect(signed.length).toBe(prepared.pdf.length);
    const { contentsStart, contentsEnd } = prepared.placeholder;
    const expected = createHash('sha256').update(signed.subarray(0, contentsStart)).update(signed.subarray(contentsEnd)).digest();
    expect(cms.digests).toEqual([expected]);
    const scan = scanPdfSignatures(signed);
    expect(scan).toMatchObject({ ok: true, notes: [], signatures: [{ byteRange: [0, contentsStart, contentsEnd, signed.length - contentsEnd] }] });
    expect(Buffer.from(signed).toString('latin1', contentsStart, contentsStart + 14)).toBe('<30820102AABB0');
  });

  test("offsets that disagree with the locator are the vault's own fault, ERR_SIGNING_FAILED, and nothing is signed", async () => {
    const cms = recordingCms(CMS);
    const { placeholder } = prepared;
    for (const wrong of [
      { ...placeholder, contentsStart: placeholder.contentsStart + 2, contentsEnd: placeholder.contentsEnd + 2 },
      { ...placeholder, byteRangeStart: placeholder.byteRangeStart - 1 },
      { byteRangeStart: 0, byteRangeEnd: 10, contentsStart: 20, contentsEnd: 30 },
    ]) {
      const signing = new PadesSigner(cms).sign({ pdf: prepared.pdf, placeholder: wrong }, signer);
      await expect(signing).rejects.toBeInstanceOf(SigningError);
      await expect(signing).rejects.toMatchObject({ code: 'ERR_SIGNING_FAILED', details: { rendered: wrong, found: locateSignaturePlaceholder(prepared.pdf) } });
    }
    expect(cms.digests).toEqual([]);
  });

  test('a file without a placeholder is ERR_SIGNING_FAILED', async () => {
    const pdf = await makeOnePagePdf();
    await expect(new PadesSigner(recordingCms(CMS)).sign({ pdf, placeholder: prepared.placeholder }, signer)).rejects.toMatchObject({
      name: 'SigningError',
      code: 'ERR_SIGNING_FAILED',
    });
  });

  test('a CMS larger than the placeholder is ERR_SIGNING_FAILED, with the sizes', async () => {
    await expect(new PadesSigner(recordingCms(new Uint8Array(16385))).sign(prepared, signer)).rejects.toMatchObject({
      name: 'SigningError',
      code: 'ERR_SIGNING_FAILED',
      details: { signatureBytes: 16385, placeholderBytes: 16384 },
    });
  });

  test("the CMS builder's own failure passes through unchanged", async () => {
    const refused = new SigningError('ERR_SIGNER_UNAVAILABLE');
    const failing: CmsSignatureBuilder = { createDetachedSignature: async () => Promise.reject(refused) };
    await expect(new PadesSigner(failing).sign(prepared, signer)).rejects.toBe(refused);
  });
});
