import { PDFDocument } from 'pdf-lib';
import { crossReferenceOffset } from '../../../src/lib/pdf-bytes/index.js';
import { makeOnePageDoc } from '../../fixtures/pdfs.js';

const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const latin1 = (bytes: Uint8Array, start: number, end: number): string => Buffer.from(bytes).toString('latin1', start, end);

/** A file with a classic table: object 1 at `offsetOf1`, object 2 free, then a second subsection for object 7. */
function classicFile(entries = '0000000009 00000 n \n0000000000 00001 f \n'): Uint8Array {
  const body = '%PDF-1.7\n1 0 obj\n<< >>\nendobj\n7 0 obj\n(seven)\nendobj\n';
  const xref = body.length;
  return bytesOf(`${body}xref\n0 1\n0000000000 65535 f \n1 2\n${entries}7 1\n0000000030 00000 n \ntrailer\n<< /Size 8 >>\nstartxref\n${xref}\n%%EOF\n`);
}

describe('crossReferenceOffset', () => {
  test('reads the entries of every subsection of the table startxref points at', () => {
    const pdf = classicFile();
    expect(crossReferenceOffset(pdf, 1)).toBe(9);
    expect(latin1(pdf, 9, 16)).toBe('1 0 obj');
    expect(crossReferenceOffset(pdf, 7)).toBe(30);
    expect(latin1(pdf, 30, 37)).toBe('7 0 obj');
  });

  test('a free entry, an object the table does not list, or a damaged entry is null', () => {
    expect(crossReferenceOffset(classicFile(), 2)).toBeNull();
    expect(crossReferenceOffset(classicFile(), 0)).toBeNull();
    expect(crossReferenceOffset(classicFile(), 5)).toBeNull();
    expect(crossReferenceOffset(classicFile(), 8)).toBeNull();
    expect(crossReferenceOffset(classicFile('00000000x9 00000 n \n0000000000 00001 f \n'), 1)).toBeNull();
  });

  test('agrees with pdf-lib on every object of a file it saved without object streams', async () => {
    const doc = await makeOnePageDoc();
    const pdf = await doc.save({ useObjectStreams: false });
    const reloaded = await PDFDocument.load(pdf);
    const objects = reloaded.context.enumerateIndirectObjects();
    expect(objects.length).toBeGreaterThan(5);
    for (const [ref] of objects) {
      const offset = crossReferenceOffset(pdf, ref.objectNumber);
      expect(offset).not.toBeNull();
      expect(latin1(pdf, offset!, offset! + `${ref.objectNumber} 0 obj`.length)).toBe(`${ref.objectNumber} 0 obj`);
    }
  });

  test('a cross-reference stream (object streams on), no startxref, or a startxref pointing anywhere else is null', async () => {
    const doc = await makeOnePageDoc();
    expect(crossReferenceOffset(await doc.save({ useObjectStreams: true }), 1)).toBeNull();
    expect(crossReferenceOffset(bytesOf('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n'), 1)).toBeNull();
    expect(crossReferenceOffset(bytesOf('%PDF-1.7\nstartxref\n999999999\n%%EOF\n'), 1)).toBeNull();
    expect(crossReferenceOffset(bytesOf('%PDF-1.7\nstartxref\n0\n%%EOF\n'), 1)).toBeNull();
    expect(crossReferenceOffset(bytesOf('xref\n0 99999999999\nstartxref\n0\n%%EOF\n'), 5)).toBeNull();
    expect(crossReferenceOffset(bytesOf(`startxref\n0\n${' '.repeat(2000)}`), 1)).toBeNull();
  });
});
