import { createHash } from 'node:crypto';
import { addSignaturePlaceholder, preparePdfForSigning } from '../../../src/adapters/pdf/signature-placeholder.js';
import {
  byteRangeFor,
  fillByteRange,
  fillSignature,
  locateSignaturePlaceholder,
  PlaceholderError,
  sameLocation,
  signedRanges,
  type SignaturePlaceholderLocation,
} from '../../../src/lib/pdf-bytes/index.js';
import {
  makeLargePdf,
  makeOnePageDoc,
  makeOnePagePdf,
  PLACEHOLDER_OPTIONS,
  makePreparedPdf,
  makeTempDir,
  makeTestSigner,
  pdfsig,
  pseudoRandomBytes,
  qpdfCheck,
  signWithOpenssl,
} from '../../fixtures/pdfs.js';

const latin1 = (bytes: Uint8Array, start = 0, end = bytes.length): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

function expectPlaceholderError(action: () => unknown, reason: PlaceholderError['reason']): void {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(PlaceholderError);
  expect(error).toMatchObject({ reason });
}

describe('signature placeholder fill-in', () => {
  let prepared: Uint8Array;
  let location: SignaturePlaceholderLocation;
  /** Where the writer (adapters/pdf) says it put the placeholder. */
  let written: SignaturePlaceholderLocation;
  const temp = makeTempDir('fill-in');
  let signer: { cert: string; key: string };

  beforeAll(async () => {
    ({ pdf: prepared, placeholder: written } = await makePreparedPdf());
    location = locateSignaturePlaceholder(prepared);
    signer = await makeTestSigner(temp.dir);
  });
  afterAll(() => temp.cleanup());

  test('locates the /ByteRange placeholder and the all-zero /Contents hex string of the same dictionary', () => {
    expect(latin1(prepared, location.byteRangeStart, location.byteRangeEnd)).toBe('[ 0 /********** /********** /********** ]');
    const contents = latin1(prepared, location.contentsStart, location.contentsEnd);
    expect(contents).toBe(`<${'0'.repeat(2 * 16384)}>`);
    expect(latin1(prepared, location.contentsStart - 10, location.contentsStart)).toBe('/Contents ');
    expect(location.byteRangeEnd).toBeLessThan(location.contentsStart);
  });

  test('the locator finds the placeholder exactly where its writer says it is', () => {
    expect(location).toEqual(written);
    expect(sameLocation(location, written)).toBe(true);
    expect(sameLocation(location, { ...written, contentsEnd: written.contentsEnd - 1 })).toBe(false);
  });

  test('the byte range covers the whole file but for exactly the hex string, delimiters included', () => {
    const range = byteRangeFor(location, prepared.length);
    expect(range).toEqual([0, location.contentsStart, location.contentsEnd, prepared.length - location.contentsEnd]);
    expect(range[1] + (range[2] - range[1]) + range[3]).toBe(prepared.length);
    expect(prepared[range[1]]).toBe(0x3c);
    expect(prepared[range[2] - 1]).toBe(0x3e);
  });

  test('fillByteRange returns a copy of the same length with the numbers space-padded in place; the input is untouched', () => {
    const original = Buffer.from(prepared);
    const filled = fillByteRange(prepared, location);
    expect(filled).not.toBe(prepared);
    expect(filled.length).toBe(prepared.length);
    expect(Buffer.from(prepared).equals(original)).toBe(true);
    const range = byteRangeFor(location, prepared.length);
    const span = latin1(filled, location.byteRangeStart, location.byteRangeEnd);
    expect(span).toMatch(/^\[0 \d+ \d+ \d+ +\]$/);
    expect(span.slice(1, -1).trim().split(' ').map(Number)).toEqual(range);
    // Nothing else changed.
    expect(Buffer.from(filled.subarray(0, location.byteRangeStart)).equals(original.subarray(0, location.byteRangeStart))).toBe(true);
    expect(Buffer.from(filled.subarray(location.byteRangeEnd)).equals(original.subarray(location.byteRangeEnd))).toBe(true);
    // A filled range is no placeholder any more.
    expectPlaceholderError(() => locateSignaturePlaceholder(filled), 'missing');
  });

  test('signedRanges are views of the bytes before and after the hex string', () => {
    const filled = fillByteRange(prepared, location);
    const [before, after] = signedRanges(filled, location);
    expect(before.buffer).toBe(filled.buffer);
    expect(before.length).toBe(location.contentsStart);
    expect(after.length).toBe(filled.length - location.contentsEnd);
    expect(before.length + after.length + (location.contentsEnd - location.contentsStart)).toBe(filled.length);
  });

  test('fillSignature writes upper-case hex padded with 0 in place; the largest CMS that fits is placeholderBytes', () => {
    const filled = fillByteRange(prepared, location);
    const cms = pseudoRandomBytes(16384);
    expect(fillSignature(filled, location, cms)).toBe(filled);
    const hex = latin1(filled, location.contentsStart + 1, location.contentsEnd - 1);
    expect(hex).toBe(Buffer.from(cms).toString('hex').toUpperCase());
    expect(filled.length).toBe(prepared.length);

    const small = fillByteRange(prepared, location);
    fillSignature(small, location, new Uint8Array([0x30, 0xab, 0x01]));
    expect(latin1(small, location.contentsStart, location.contentsEnd)).toBe(`<30AB01${'0'.repeat(2 * 16384 - 6)}>`);
  });

  test('a CMS too large for the placeholder is refused as too small and leaves the file alone', () => {
    const filled = fillByteRange(prepared, location);
    const before = Buffer.from(filled);
    expectPlaceholderError(() => fillSignature(filled, location, new Uint8Array(16385)), 'too-small');
    expect(Buffer.from(filled).equals(before)).toBe(true);
  });

  test('a PDF without a placeholder is refused as missing', async () => {
    const plain = await makeOnePagePdf();
    expectPlaceholderError(() => locateSignaturePlaceholder(plain), 'missing');
    expectPlaceholderError(() => locateSignaturePlaceholder(new Uint8Array()), 'missing');
    // The placeholder text outside any dictionary, or with a /Contents that is not zeros, is not a placeholder.
    expectPlaceholderError(() => locateSignaturePlaceholder(bytesOf('%PDF-1.7\n% [0 /********** /********** /**********]\n1 0 obj\n<< /Contents <0000> >>\nendobj\n')), 'missing');
    expectPlaceholderError(
      () => locateSignaturePlaceholder(bytesOf('%PDF-1.7\n1 0 obj\n<< /ByteRange [0 /********** /********** /**********] /Contents <00AB00> >>\nendobj\n')),
      'missing',
    );
    // A location that does not point at this file's placeholder is refused too.
    expectPlaceholderError(() => fillByteRange(plain, location), 'missing');
  });

  test('does not rely on key order: /Contents first, nested dictionaries and strings holding >> are skipped', () => {
    const zeros = '0'.repeat(64);
    const pdf = bytesOf(
      '%PDF-1.7\n' +
        '1 0 obj\n<< /Type /Annot /V << /Contents <' +
        zeros +
        '> /Prop_Build << /Filter << /Name /Adobe.PPKLite >> >>\n' +
        '/Reason (a >> b \\) << c) /Name <FEFF0041> % a comment with >>\n' +
        '/ByteRange [0 /********** /********** /**********] /M (D:20261121003000Z) >> /Contents <FF> >>\nendobj\n' +
        '2 0 obj\n<< /Contents <' +
        zeros +
        '> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    );
    const found = locateSignaturePlaceholder(pdf);
    const text = latin1(pdf);
    expect(found.contentsStart).toBe(text.indexOf(`<${zeros}>`));
    expect(found.contentsEnd).toBe(found.contentsStart + zeros.length + 2);
    expect(latin1(pdf, found.byteRangeStart, found.byteRangeEnd)).toBe('[0 /********** /********** /**********]');
  });

  test('finds the last of two placeholders', () => {
    const twoFields = bytesOf(
      '%PDF-1.7\n' +
        '1 0 obj\n<< /ByteRange [ 0 /********** /********** /********** ] /Contents <0000> >>\nendobj\n' +
        '2 0 obj\n<< /ByteRange [ 0 /********** /********** /********** ] /Contents <000000> >>\nendobj\n',
    );
    const found = locateSignaturePlaceholder(twoFields);
    expect(latin1(twoFields, found.contentsStart, found.contentsEnd)).toBe('<000000>');
    expect(found.byteRangeStart).toBeGreaterThan(latin1(twoFields).indexOf('2 0 obj'));
  });

  test('the whole path on an 80 KB file: located where written, filled in place, the file length unchanged (timed in test/bench/pdf-bytes.ts)', async () => {
    // About 80 KB once prepared: 46 KB of incompressible attachment, 32 KB of /Contents placeholder.
    const large = await makePreparedPdf({ padding: 46_000 });
    expect(large.pdf.length).toBeGreaterThan(78_000);
    expect(large.pdf.length).toBeLessThan(84_000);
    const where = locateSignaturePlaceholder(large.pdf);
    expect(where).toEqual(large.placeholder);
    const cms = pseudoRandomBytes(6000);
    const pdf = fillSignature(fillByteRange(large.pdf, where), where, cms);
    expect(pdf.length).toBe(large.pdf.length);
    const [before, after] = signedRanges(pdf, where);
    expect(before.length + after.length).toBe(pdf.length - (where.contentsEnd - where.contentsStart));
    expect(latin1(pdf, where.contentsStart, where.contentsStart + 13)).toBe(`<${Buffer.from(cms.subarray(0, 6)).toString('hex').toUpperCase()}`);
  });

  test('independent tools agree: openssl signs the two ranges, pdfsig says "Total document signed" and "Signature is Valid"', async () => {
    const { signed, cms } = await signWithOpenssl({ pdf: prepared, placeholder: location }, signer);
    expect(signed.length).toBe(prepared.length);
    const result = await pdfsig(temp.dir, signed, [], 'signed.pdf');
    expect(result.stdout).toContain('- Signature Field Name: Signature1');
    expect(result.stdout).toContain('- Signer Certificate Common Name: test');
    expect(result.stdout).toContain('- Signature Type: ETSI.CAdES.detached');
    expect(result.stdout).toContain(`- Signed Ranges: [0 - ${location.contentsStart}], [${location.contentsEnd} - ${prepared.length}]`);
    expect(result.stdout).toContain('- Total document signed');
    expect(result.stdout).toContain('- Signature Validation: Signature is Valid.');
    // Trust is another matter: the certificate is a throwaway self-signed one.
    expect(result.stdout).toContain("- Certificate Validation: Certificate issuer isn't Trusted.");
    expect((await qpdfCheck(temp.dir, signed, 'signed.pdf')).code).toBe(0);

    // The signed bytes are exactly what was hashed: the message digest in the CMS is theirs.
    const [before, after] = signedRanges(signed, location);
    const digest = createHash('sha256').update(before).update(after).digest();
    expect(Buffer.from(cms).includes(digest)).toBe(true);
  });

  test('an 80 KB license made from the large fixture, and one saved with object streams, sign the same way', async () => {
    const large = await preparePdfForSigning(await makeLargePdf(), PLACEHOLDER_OPTIONS);
    expect(large.pdf.length).toBeGreaterThan(75_000 + 32_768);
    expect(locateSignaturePlaceholder(large.pdf)).toEqual(large.placeholder);
    const doc = await makeOnePageDoc();
    addSignaturePlaceholder(doc, PLACEHOLDER_OPTIONS);
    // The signature dictionary is raw bytes, so even a renderer that forgets savePreparedPdf leaves a fillable gap (found by the locator).
    const saved = await doc.save({ useObjectStreams: true });
    const withObjectStreams = { pdf: saved, placeholder: locateSignaturePlaceholder(saved) };
    for (const [name, prepared2] of [
      ['large.pdf', large],
      ['objstm.pdf', withObjectStreams],
    ] as const) {
      const { signed } = await signWithOpenssl(prepared2, signer);
      const result = await pdfsig(temp.dir, signed, [], name);
      expect(result.stdout).toContain('- Total document signed');
      expect(result.stdout).toContain('- Signature Validation: Signature is Valid.');
    }
  });
});
