import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { scanPdfSignatures, type ScanResult } from '../../../src/lib/pdf-bytes/index.js';
import { makePreparedPdf, makeTempDir, makeTestSigner, signWithOpenssl } from '../../fixtures/pdfs.js';
import { propertySeed } from '../../modules/identity/support/property-seed.js';

const NUM_RUNS = Number(process.env.PDF_SCAN_RUNS ?? 300);
const seed = propertySeed('pdf-scan');

/** Fragments that open or close structure, so mutations reach the lexer's and parser's edge cases, not only random bytes. */
const SYNTAX = [
  '(',
  ')',
  '\\',
  '<',
  '>',
  '<<',
  '>>',
  '[',
  ']',
  '{',
  '/',
  '#',
  '%',
  '\n',
  '\r',
  ' 0 obj ',
  'endobj',
  'stream\n',
  'endstream',
  ' R ',
  '/Type /Sig ',
  '/ByteRange ',
  '/ObjStm /N 1 /First 4 ',
  '#4',
  '999999999999 ',
];

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'copy'; from: number; to: number; length: number };

function mutation(maxOffset: number): fc.Arbitrary<Mutation> {
  const at = fc.nat(maxOffset);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at, byte: fc.nat(255) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: fc.constantFrom(...SYNTAX) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), from: at, to: fc.nat(maxOffset), length: fc.integer({ min: 1, max: 4096 }) }) },
  );
}

function apply(pdf: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Buffer.from(pdf);
  for (const m of mutations) {
    const at = (position: number): number => Math.min(position, bytes.length);
    switch (m.kind) {
      case 'set':
        if (bytes.length > 0) bytes[m.at % bytes.length] = m.byte;
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), Buffer.from(m.text, 'latin1'), bytes.subarray(at(m.at))]);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), bytes.subarray(at(m.at + m.length))]);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at(m.at));
        break;
      case 'copy':
        bytes = Buffer.concat([bytes.subarray(0, at(m.to)), bytes.subarray(at(m.from), at(m.from + m.length)), bytes.subarray(at(m.to))]);
        break;
    }
  }
  return new Uint8Array(bytes);
}

function wellFormed(result: ScanResult): boolean {
  // The scanner catches everything; an unexpected exception would surface as this reason, which is a bug.
  if (!result.ok) return result.reason.length > 0 && !result.reason.startsWith('the PDF cannot be scanned');
  return (
    Array.isArray(result.notes) &&
    result.notes.length <= 101 &&
    result.signatures.every(
      (s) =>
        Number.isInteger(s.objectNumber) &&
        (s.byteRange === null || s.byteRange.every((n) => Number.isInteger(n))) &&
        (s.contents === null || (s.contents.start >= 0 && s.contents.end > s.contents.start)) &&
        (s.signingTime === null || !Number.isNaN(Date.parse(s.signingTime))),
    )
  );
}

describe('scanPdfSignatures properties', () => {
  const temp = makeTempDir('scan-property');
  let signed: Uint8Array;
  /** The signed file with its signature dictionary also hidden in an object stream, so mutations hit inflate and object-stream parsing. */
  let withObjectStream: Uint8Array;

  beforeAll(async () => {
    ({ signed } = await signWithOpenssl(await makePreparedPdf(), await makeTestSigner(temp.dir)));
    const body = Buffer.from("7 0 << /Type /Sig /ByteRange [0 1 2 3] /Contents <3082> /M (D:20261121083000+08'00') >>", 'latin1');
    const stream = deflateSync(body);
    withObjectStream = new Uint8Array(
      Buffer.concat([
        Buffer.from(signed),
        Buffer.from(`\n50 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${stream.length} >>\nstream\n`, 'latin1'),
        stream,
        Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
      ]),
    );
  });
  afterAll(() => temp.cleanup());

  test('the unmutated files scan cleanly', () => {
    expect(scanPdfSignatures(signed)).toMatchObject({ ok: true, notes: [], signatures: [{ objectNumber: 8 }] });
    expect(scanPdfSignatures(withObjectStream)).toMatchObject({ ok: true, notes: [], signatures: [{ inObjectStream: false }, { inObjectStream: true, objectNumber: 7 }] });
  });

  test('random mutations of a signed PDF never make the scan throw', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(mutation(200_000), { minLength: 1, maxLength: 12 }), (objectStream, mutations) => {
        const base = objectStream ? withObjectStream : signed;
        return wellFormed(scanPdfSignatures(apply(base, mutations)));
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });

  test('mutations aimed at the signature dictionary never make it throw', () => {
    const start = Buffer.from(signed).indexOf('/Type /Sig');
    fc.assert(
      fc.property(fc.array(mutation(400), { minLength: 1, maxLength: 8 }), (mutations) => {
        const shifted = mutations.map((m): Mutation => (m.kind === 'copy' ? { ...m, from: m.from + start - 200, to: m.to + start - 200 } : { ...m, at: m.at + start - 200 }));
        return wellFormed(scanPdfSignatures(apply(signed, shifted)));
      }),
      { numRuns: NUM_RUNS, seed },
    );
  });
});
