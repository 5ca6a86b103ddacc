import { deflateSync } from 'node:zlib';
import { PDFHexString, PDFName } from 'pdf-lib';
import { byteRangeFor, scanPdfSignatures, type FoundSignature, type ScanResult, type SignaturePlaceholderLocation } from '../../../src/lib/pdf-bytes/index.js';
import { makeOnePageDoc, makePdfWithObjectStreams, makePreparedPdf, makeTempDir, makeTestSigner, pdfsig, pseudoRandomBytes, signWithOpenssl } from '../../fixtures/pdfs.js';

const bytesOf = (...parts: (string | Uint8Array)[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part)))));

function signaturesOf(result: ScanResult): FoundSignature[] {
  if (!result.ok) throw new Error(`scan failed: ${result.reason}`);
  return result.signatures;
}

/** A minimal PDF around one object stream whose (already encoded) data is `data`. */
function objectStreamPdf(data: Uint8Array, options: { n?: number; first?: number; filter?: string; length?: number | string } = {}): Uint8Array {
  const filter = options.filter === undefined ? '/Filter /FlateDecode ' : options.filter;
  return bytesOf(
    '%PDF-1.7\n1 0 obj\n<< /Type /ObjStm ',
    `/N ${options.n ?? 1} /First ${options.first ?? 4} ${filter}/Length ${options.length ?? data.length} >>\nstream\n`,
    data,
    '\nendstream\nendobj\ntrailer\n<< /Size 2 >>\n%%EOF\n',
  );
}

const SIG_IN_STREAM = "5 0 << /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 10 20 30] /Contents <3082ABCD> /M (D:20261121083000+08'00') >>";

describe("scanPdfSignatures on the vault's own files", () => {
  const temp = makeTempDir('scan');
  let prepared: Uint8Array;
  let location: SignaturePlaceholderLocation;
  let signed: Uint8Array;
  let cms: Uint8Array;

  beforeAll(async () => {
    const preparedPdf = await makePreparedPdf();
    ({ pdf: prepared, placeholder: location } = preparedPdf);
    ({ signed, cms } = await signWithOpenssl(preparedPdf, await makeTestSigner(temp.dir)));
  });
  afterAll(() => temp.cleanup());

  test('finds the placeholder in a prepared file at the offsets the fill-in uses', () => {
    const result = scanPdfSignatures(prepared);
    expect(result).toMatchObject({ ok: true, notes: [] });
    const [signature, ...others] = signaturesOf(result);
    expect(others).toEqual([]);
    expect(signature).toMatchObject({
      generation: 0,
      inObjectStream: false,
      byteRange: null, // names, not integers, until it is filled
      contents: { start: location.contentsStart, end: location.contentsEnd },
      subFilter: 'ETSI.CAdES.detached',
      filter: 'Adobe.PPKLite',
      signingTime: '2026-11-21T00:30:00.000Z',
      rawSigningTime: 'D:20261121003000Z',
    });
    expect(signature!.contentsBytes).toHaveLength(16384);
    expect(signature!.contentsBytes!.every((byte) => byte === 0)).toBe(true);
  });

  test('finds the signature in a signed file: the byte range as filled, the CMS zero-padded', () => {
    const [signature, ...others] = signaturesOf(scanPdfSignatures(signed));
    expect(others).toEqual([]);
    expect(signature!.byteRange).toEqual(byteRangeFor(location, signed.length));
    expect(signature!.contents).toEqual({ start: location.contentsStart, end: location.contentsEnd });
    const contents = signature!.contentsBytes!;
    expect(Buffer.from(contents.subarray(0, cms.length)).equals(Buffer.from(cms))).toBe(true);
    expect(contents.subarray(cms.length).every((byte) => byte === 0)).toBe(true);
  });

  test("an incremental update appended after signing still shows the original signature (coverage is the verifier's call)", async () => {
    const update = bytesOf(
      '\n99 0 obj\n<< /Type /Annot /Subtype /Text /Contents (added later) >>\nendobj\n',
      `xref\n99 1\n${String(signed.length + 1).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 100 /Prev 0 >>\nstartxref\n${signed.length}\n%%EOF\n`,
    );
    const updated = bytesOf(signed, update);
    const [signature, ...others] = signaturesOf(scanPdfSignatures(updated));
    expect(others).toEqual([]);
    const [, , gapEnd, after] = signature!.byteRange!;
    expect(gapEnd! + after!).toBe(signed.length);
    expect(gapEnd! + after!).toBeLessThan(updated.length);
    // The trap this guards against: pdfsig still calls it valid, only "not total document signed".
    const result = await pdfsig(temp.dir, updated, [], 'updated.pdf');
    expect(result.stdout).toContain('- Signature Validation: Signature is Valid.');
    expect(result.stdout).toContain('- Not total document signed');
  });

  test('finds a signature dictionary hidden in an object stream (pdf-lib, useObjectStreams: true)', async () => {
    const doc = await makeOnePageDoc();
    const hidden = doc.context.register(doc.context.obj({ Type: 'Sig', ByteRange: [0, 1, 2, 3], Contents: PDFHexString.of('00') }));
    doc.catalog.set(PDFName.of('Hidden'), hidden);
    const pdf = await doc.save({ useObjectStreams: true });
    expect(Buffer.from(pdf).includes('/ObjStm')).toBe(true);
    expect(Buffer.from(pdf).includes('/Type /Sig')).toBe(false);
    const result = scanPdfSignatures(pdf);
    expect(result).toMatchObject({ ok: true, notes: [] });
    expect(signaturesOf(result)).toEqual([
      {
        objectNumber: hidden.objectNumber,
        generation: 0,
        inObjectStream: true,
        byteRange: [0, 1, 2, 3],
        contents: null,
        contentsBytes: new Uint8Array([0]),
        subFilter: null,
        filter: null,
        signingTime: null,
        rawSigningTime: null,
      },
    ]);
  });

  test('a plain PDF, with or without object streams, has no signatures and no notes', async () => {
    expect(scanPdfSignatures(await makePdfWithObjectStreams())).toEqual({ ok: true, signatures: [], notes: [] });
    expect(scanPdfSignatures(await (await makeOnePageDoc({ padding: 76_000 })).save({ useObjectStreams: false }))).toEqual({ ok: true, signatures: [], notes: [] });
  });

  test('finds the one signature of an 80 KB signed file, past its incompressible attachment (timed in test/bench/pdf-bytes.ts)', async () => {
    const large = (await signWithOpenssl(await makePreparedPdf({ padding: 46_000 }), await makeTestSigner(temp.dir))).signed;
    expect(large.length).toBeGreaterThan(78_000);
    const result = scanPdfSignatures(large);
    expect(result).toMatchObject({ ok: true, notes: [] });
    const [signature, ...others] = signaturesOf(result);
    expect(others).toEqual([]);
    const [, gapStart, gapEnd, after] = signature!.byteRange!;
    expect(signature!.contents).toEqual({ start: gapStart, end: gapEnd });
    expect(gapEnd! + after!).toBe(large.length);
  });
});

describe('scanPdfSignatures finds signature dictionaries wherever they are', () => {
  test('/Type /S#69g and /Byte#52ange are /Sig and /ByteRange', () => {
    const pdf = bytesOf(
      '%PDF-1.7\n',
      '1 0 obj\n<< /Type /S#69g /Contents <00> >>\nendobj\n',
      '2 0 obj\n<< /Byte#52ange [0 5 10 15] /Sub#46ilter /ETSI.CAdES.detached >>\nendobj\n',
      '3 0 obj\n<< /Type /Si#67#20 >>\nendobj\n',
    );
    const signatures = signaturesOf(scanPdfSignatures(pdf));
    expect(signatures.map((s) => [s.objectNumber, s.byteRange, s.subFilter])).toEqual([
      [1, null, null],
      [2, [0, 5, 10, 15], 'ETSI.CAdES.detached'],
    ]);
  });

  test('nested in another object, in an array, and in an object hidden inside a string, a comment or stream data', () => {
    const pdf = bytesOf(
      '%PDF-1.7\n',
      '1 0 obj\n<< /Type /Annot /V << /Type /Sig /Contents (lit\\(eral\\)) >> /Kids [ << /ByteRange [1 2.5 3 4] >> ] >>\nendobj\n',
      '2 0 obj\n(a string that holds 7 0 obj << /Type /Sig >> endobj )\nendobj\n',
      '% 8 0 obj << /Type /Sig >> endobj\n',
      '3 0 obj\n<< /Length 41 >>\nstream\n9 0 obj << /ByteRange [0 0 0 0] >> endobj\nendstream\nendobj\n',
    );
    const signatures = signaturesOf(scanPdfSignatures(pdf));
    expect(signatures.map((s) => [s.objectNumber, s.byteRange])).toEqual([
      [1, null],
      [1, null], // 2.5 is no integer
      [7, null],
      [8, null],
      [9, [0, 0, 0, 0]],
    ]);
    expect(Buffer.from(signatures[0]!.contentsBytes!).toString('latin1')).toBe('lit(eral)');
  });

  test('an object stream built by hand: FlateDecode, unfiltered, bad /Length, unsupported filter', () => {
    const plain = Buffer.from(SIG_IN_STREAM, 'latin1');
    const expected = { objectNumber: 5, generation: 0, inObjectStream: true, byteRange: [0, 10, 20, 30], contents: null, signingTime: '2026-11-21T00:30:00.000Z' };

    const flate = scanPdfSignatures(objectStreamPdf(deflateSync(plain)));
    expect(flate).toMatchObject({ ok: true, notes: [], signatures: [expected] });
    expect(Buffer.from(signaturesOf(flate)[0]!.contentsBytes!).toString('hex')).toBe('3082abcd');

    expect(scanPdfSignatures(objectStreamPdf(plain, { filter: '' }))).toMatchObject({ ok: true, notes: [], signatures: [expected] });

    // /Length past the end of the file: read up to endstream, and say so.
    const pastEof = scanPdfSignatures(objectStreamPdf(deflateSync(plain), { length: 10_000_000 }));
    expect(pastEof).toMatchObject({ ok: true, signatures: [expected] });
    expect((pastEof as { notes: string[] }).notes).toEqual([expect.stringContaining('/Length does not match')]);
    // An indirect /Length cannot be checked either.
    expect(scanPdfSignatures(objectStreamPdf(deflateSync(plain), { length: '9 0 R' }))).toMatchObject({ ok: true, signatures: [expected] });

    const lzw = scanPdfSignatures(objectStreamPdf(plain, { filter: '/Filter /LZWDecode ' }));
    expect(lzw).toMatchObject({ ok: true, signatures: [] });
    expect((lzw as { notes: string[] }).notes).toEqual([expect.stringContaining('filter /LZWDecode is not supported')]);

    const chain = scanPdfSignatures(objectStreamPdf(plain, { filter: '/Filter [/ASCIIHexDecode /FlateDecode] ' }));
    expect((chain as { notes: string[] }).notes).toEqual([expect.stringContaining('is not supported')]);
  });

  test('a stream with /N and /First but no /Type /ObjStm is read as an object stream too', () => {
    const data = deflateSync(Buffer.from(SIG_IN_STREAM, 'latin1'));
    const pdf = bytesOf('%PDF-1.7\n4 0 obj\n<< /N 1 /First 4 /Filter /FlateDecode /Length ', String(data.length), ' >>\nstream\r\n', data, '\r\nendstream\nendobj\n');
    expect(signaturesOf(scanPdfSignatures(pdf))).toMatchObject([{ objectNumber: 5, inObjectStream: true }]);
  });

  test("object stream offsets may point anywhere, even into another object's string", () => {
    const body = '<< /T (x 6 0 obj << /Type /Sig >> ) >> << /ByteRange [1 2 3 4] >>';
    const header = `6 ${body.indexOf('<< /Type')} 7 ${body.indexOf('<< /ByteRange')} `;
    const pdf = objectStreamPdf(deflateSync(Buffer.from(header + body, 'latin1')), { n: 2, first: header.length });
    expect(signaturesOf(scanPdfSignatures(pdf)).map((s) => [s.objectNumber, s.byteRange])).toEqual([
      [6, null],
      [7, [1, 2, 3, 4]],
    ]);
  });

  test('duplicate keys in a signature dictionary are reported', () => {
    const result = scanPdfSignatures(bytesOf('%PDF-1.7\n1 0 obj\n<< /ByteRange [0 1 2 3] /ByteRange [0 9 9 9] >>\nendobj\n'));
    expect(result).toMatchObject({ ok: true, signatures: [{ byteRange: [0, 1, 2, 3] }] });
    expect((result as { notes: string[] }).notes).toEqual([expect.stringContaining('duplicate keys: /ByteRange')]);
  });

  test('lexes strings the way PDF does: nesting, escapes, octal, line continuations; hex with whitespace and an odd digit', () => {
    const utf16Date = Buffer.from("\ufeffD:20261121083000+08'00'", 'utf16le').swap16().toString('hex');
    const pdf = bytesOf(
      '%PDF-1.7\n1 0 obj\n<< % a comment: >> ] )\n',
      '/Type /Sig /Contents (a(b)c\\)\\(\\101\\0601\\7\\n\\\\ \\q end\\\r\nnext\r\nline) /M <',
      utf16Date,
      '>\n',
      '/Nested << /ByteRange [0 1 2 3] /Contents <30 8\n1 F> >> /R 12 0 R /Array [ 1 0 R 2 0 R true false null 3.5 -2 ] >>\nendobj\n',
    );
    const signatures = signaturesOf(scanPdfSignatures(pdf));
    expect(signatures.map((s) => s.objectNumber)).toEqual([1, 1]);
    const [inner, outer] = signatures;
    // Innermost dictionaries are reported first.
    expect(inner!.byteRange).toEqual([0, 1, 2, 3]);
    expect(Buffer.from(inner!.contentsBytes!).toString('hex')).toBe('3081f0');
    expect(inner!.contents).toEqual({ start: Buffer.from(pdf).indexOf('<30 8'), end: Buffer.from(pdf).indexOf('F> >>') + 2 });
    expect(Buffer.from(outer!.contentsBytes!).toString('latin1')).toBe('a(b)c)(A01\u0007\n\\ q endnext\nline');
    expect(outer!.contents).toBeNull(); // a literal string has no hex gap to exclude
    expect(outer!.rawSigningTime).toBe("D:20261121083000+08'00'");
    expect(outer!.signingTime).toBe('2026-11-21T00:30:00.000Z');
  });

  test('object headers with comments and odd whitespace between their tokens', () => {
    const pdf = bytesOf('%PDF-1.7\n1\r\n0 % a comment\n% another\nobj<</Type/Sig>>endobj\n2 0obj << /Type /Sig >> endobj\n');
    expect(signaturesOf(scanPdfSignatures(pdf)).map((s) => s.objectNumber)).toEqual([1]);
  });
});

/** Every input ends with a result, whatever it is: the limits bound the work (how fast is measured in test/bench/pdf-bytes.ts). */
describe('scanPdfSignatures on hostile input: never throws, the limits bound the work', () => {
  const MIB = 1024 * 1024;

  type Case = [label: string, make: () => Uint8Array, check: (result: ScanResult) => void, limits?: Parameters<typeof scanPdfSignatures>[1]];
  const cases: Case[] = [
    ['empty', () => new Uint8Array(), (r) => expect(r).toEqual({ ok: false, reason: expect.stringContaining('not a PDF') })],
    ['not a PDF', () => bytesOf('PK\u0003\u0004 a zip file'), (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('not a PDF') })],
    ['header after 1024 bytes', () => bytesOf(' '.repeat(1024), '%PDF-1.7\n'), (r) => expect(r).toMatchObject({ ok: false })],
    ['header within 1024 bytes', () => bytesOf(' '.repeat(1000), '%PDF-1.7\n'), (r) => expect(r).toEqual({ ok: true, signatures: [], notes: [] })],
    ['10 MiB of random bytes', () => pseudoRandomBytes(10 * MIB, 7), (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('not a PDF') })],
    ['a PDF header and 10 MiB of random bytes', () => bytesOf('%PDF-1.7\n', pseudoRandomBytes(10 * MIB, 11)), (r) => expect(r.ok).toBe(true)],
    [
      'a zip bomb object stream (10 MiB of zeros) over a 1 MiB limit',
      () => objectStreamPdf(deflateSync(Buffer.alloc(10 * MIB))),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('inflate to more than 1048576 bytes') }),
      { maxInflatedBytes: MIB },
    ],
    [
      'twenty 10 MiB zip bombs over the default 64 MiB limit',
      () => {
        const bomb = deflateSync(Buffer.alloc(10 * MIB));
        const objects = Array.from({ length: 20 }, (_, i) =>
          bytesOf(`${i + 1} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, bomb, '\nendstream\nendobj\n'),
        );
        return bytesOf('%PDF-1.7\n', ...objects);
      },
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('inflate to more than 67108864 bytes') }),
    ],
    [
      '100,000 nested [',
      () => bytesOf('%PDF-1.7\n1 0 obj\n', '['.repeat(100_000)),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('nested deeper than 100') }),
    ],
    [
      '100,000 nested <<',
      () => bytesOf('%PDF-1.7\n1 0 obj\n', '<< /A '.repeat(100_000)),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('nested deeper than 100') }),
    ],
    ['100,000 [ outside any object', () => bytesOf('%PDF-1.7\n', '['.repeat(100_000)), (r) => expect(r).toEqual({ ok: true, signatures: [], notes: [] })],
    [
      'an unterminated string to the end of the file',
      () => bytesOf('%PDF-1.7\n1 0 obj\n<< /Type /Sig /Reason (never ends ', 'x'.repeat(MIB)),
      (r) => expect(r).toMatchObject({ ok: true, signatures: [], notes: [expect.stringContaining('unterminated literal string')] }),
    ],
    [
      'an unterminated dictionary and hex string',
      () => bytesOf('%PDF-1.7\n1 0 obj\n<< /Type /Sig\n2 0 obj\n<< /Contents <0000'),
      (r) => expect((r as { notes: string[] }).notes).toEqual([expect.stringContaining('dictionary key is not a name'), expect.stringContaining('unterminated hex string')]),
    ],
    [
      'a /Length pointing past the end of the file, no endstream',
      () => bytesOf('%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length 999999999 >>\nstream\n', SIG_IN_STREAM),
      (r) => expect(r).toMatchObject({ ok: true, signatures: [{ objectNumber: 5, inObjectStream: true }] }),
    ],
    [
      '1,000,000 overlapping objects, each an unterminated string (quadratic if unbounded)',
      () => bytesOf('%PDF-1.7\n', '1 0 obj ('.repeat(1_000_000)),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('bytes read') }),
    ],
    [
      '300,000 streams without endstream (quadratic if each searched)',
      () => bytesOf('%PDF-1.7\n', '1 0 obj<</N 1/First 9>>stream\n'.repeat(300_000)),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/more than \d+ (object streams|tokens|bytes read)/) }),
    ],
    [
      'an object with a 2,000,000-item array before its signature dictionary (parsed, not kept)',
      () => bytesOf('%PDF-1.7\n1 0 obj\n<< /Kids [', '1 0 R 2 '.repeat(500_000), '] /V << /Type /Sig /ByteRange [0 1 2 3] >> >>\nendobj\n'),
      (r) => expect(r).toMatchObject({ ok: true, notes: [], signatures: [{ objectNumber: 1, byteRange: [0, 1, 2, 3] }] }),
    ],
    [
      'a /ByteRange of 100,000 integers (kept up to the retention limit, then reported as no byte range)',
      () => bytesOf('%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [', '7 '.repeat(100_000), '] >>\nendobj\n'),
      (r) => expect(r).toMatchObject({ ok: true, notes: [], signatures: [{ objectNumber: 1, byteRange: null }] }),
    ],
    [
      '10 MiB of signature dictionaries',
      () => bytesOf('%PDF-1.7\n', '1 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n'.repeat(163_840)),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('more than 1000 signature dictionaries') }),
    ],
    [
      'a flood of tiny objects over a small token limit',
      () => bytesOf('%PDF-1.7\n', '1 0 obj 1 endobj '.repeat(100_000)),
      (r) => expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('more than 10000 tokens') }),
      { maxTokens: 10_000 },
    ],
    [
      '1,000,000 objects that do not parse, one syntax error each (stopped at 10,000 unreadable parts)',
      () => bytesOf('%PDF-1.7\n', '1 0 obj )'.repeat(1_000_000)),
      (r) => expect(r).toEqual({ ok: false, reason: 'limit reached: more than 10000 parts cannot be read' }),
    ],
    [
      'notes beyond the first 100 are counted, not kept',
      () => bytesOf('%PDF-1.7\n', '1 0 obj )'.repeat(150)),
      (r) => expect((r as { notes: string[] }).notes).toEqual([...Array.from({ length: 100 }, () => expect.stringContaining("unexpected ')'")), '… and 50 more notes']),
    ],
    [
      'a corrupt deflate stream',
      () => objectStreamPdf(pseudoRandomBytes(1000, 3)),
      (r) => expect((r as { notes: string[] }).notes).toEqual([expect.stringContaining('cannot be inflated')]),
    ],
    [
      'an object stream whose offsets point outside it',
      () => objectStreamPdf(deflateSync(Buffer.from('5 999999 6 -4 << >>', 'latin1')), { n: 2, first: 14 }),
      (r) => expect((r as { notes: string[] }).notes).toEqual([expect.stringContaining('object 5 lies outside'), expect.stringContaining('object 6 lies outside')]),
    ],
    [
      'garbage between objects',
      () => bytesOf('%PDF-1.7\n)))>>>]]]}}{{ <zz> %\u0000\u00ff 1 0 obj >> endobj 2 0 obj <</Type/Sig>> endobj'),
      (r) => expect(r).toMatchObject({ ok: true, signatures: [{ objectNumber: 2 }] }),
    ],
  ];

  // Rows as objects: jest would take a fourth parameter of a three-item row for a `done` callback.
  test.each(cases.map(([label, make, check, limits]) => ({ label, make, check, limits })))('$label', ({ make, check, limits }) => {
    check(scanPdfSignatures(make(), limits));
  });
});
