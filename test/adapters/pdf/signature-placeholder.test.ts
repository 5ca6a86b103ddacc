import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFRef } from 'pdf-lib';
import { addSignaturePlaceholder, MIN_PLACEHOLDER_BYTES, pdfDateUtc, preparePdfForSigning, savePreparedPdf } from '../../../src/adapters/pdf/signature-placeholder.js';
import { locateSignaturePlaceholder } from '../../../src/lib/pdf-bytes/index.js';
import { SigningError } from '../../../src/shared/errors.js';
import { makeOnePageDoc, makePdfWithObjectStreams, makePreparedPdf, makeTempDir, pdfsig, PLACEHOLDER_OPTIONS, qpdfCheck, SIGNING_TIME } from '../../fixtures/pdfs.js';

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The signature field (merged with its widget) called `name`, and its signature dictionary, read back with pdf-lib. */
async function readField(pdf: Uint8Array, name = PLACEHOLDER_OPTIONS.fieldName): Promise<{ doc: PDFDocument; field: PDFDict; signature: PDFDict; fieldRef: PDFRef }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
  const fields = acroForm.lookup(PDFName.of('Fields'), PDFArray);
  for (let i = 0; i < fields.size(); i += 1) {
    const field = fields.lookup(i, PDFDict);
    const title = field.lookup(PDFName.of('T'));
    if ((title instanceof PDFString || title instanceof PDFHexString) && title.decodeText() === name) {
      return { doc, field, signature: field.lookup(PDFName.of('V'), PDFDict), fieldRef: fields.get(i) as PDFRef };
    }
  }
  throw new Error(`no field ${name}`);
}

function text(dict: PDFDict, key: string): string | undefined {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

describe('addSignaturePlaceholder', () => {
  let prepared: Uint8Array;
  const temp = makeTempDir('placeholder');

  beforeAll(async () => {
    ({ pdf: prepared } = await makePreparedPdf());
  });
  afterAll(() => temp.cleanup());

  test('the prepared PDF passes qpdf --check', async () => {
    const result = await qpdfCheck(temp.dir, prepared);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No syntax or stream encoding errors found');
  });

  test('pdfsig lists exactly one, not yet signed, ETSI.CAdES.detached signature field with the /M time', async () => {
    const result = await pdfsig(temp.dir, prepared);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Signature #1:');
    expect(result.stdout).not.toContain('Signature #2:');
    expect(result.stdout).toContain('- Signature Field Name: Signature1');
    expect(result.stdout).toContain('- Signature Type: ETSI.CAdES.detached');
    // pdfsig prints /M in local time; the helper runs it with TZ=UTC.
    expect(result.stdout).toContain('- Signing Time: Nov 21 2026 00:30:00');
    expect(result.stdout).toContain('- Signature Validation: Signature has not yet been verified.');
    // The placeholder is no CMS and its byte range is names, which pdfsig says on stderr.
    expect(result.stderr).toContain("Input couldn't be parsed as a CMS signature");
    expect(result.stderr).toContain('Illegal values in ByteRange array');
  });

  test('pdfsig -dump finds one signature whose value is the placeholder: placeholderBytes zero bytes', async () => {
    const result = await pdfsig(temp.dir, prepared, ['-dump'], 'dump.pdf');
    expect(result.stdout).toContain('Dumping Signatures: 1');
    expect(result.stdout).toContain(`Signature #0 (${MIN_PLACEHOLDER_BYTES} bytes) => dump.pdf.sig0`);
    const dumped = readFileSync(join(temp.dir, 'dump.pdf.sig0'));
    expect(dumped.length).toBe(MIN_PLACEHOLDER_BYTES);
    expect(dumped.every((byte) => byte === 0)).toBe(true);
  });

  test('the signature dictionary is PAdES B-B: /Type /Sig, /Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached, and no time but /M', async () => {
    const { signature } = await readField(prepared);
    expect(signature.lookup(PDFName.of('Type'))).toBe(PDFName.of('Sig'));
    expect(signature.lookup(PDFName.of('Filter'))).toBe(PDFName.of('Adobe.PPKLite'));
    expect(signature.lookup(PDFName.of('SubFilter'))).toBe(PDFName.of('ETSI.CAdES.detached'));
    expect(
      signature
        .keys()
        .map((key) => key.decodeText())
        .sort(),
    ).toEqual(['ByteRange', 'ContactInfo', 'Contents', 'Filter', 'Location', 'M', 'Name', 'Reason', 'SubFilter', 'Type'].sort());
    const byteRange = signature.lookup(PDFName.of('ByteRange'), PDFArray);
    expect(byteRange.asArray().map((item) => item.toString())).toEqual(['0', '/**********', '/**********', '/**********']);
    expect(latin1(prepared)).toContain('/ByteRange [ 0 /********** /********** /********** ]');
  });

  test('/M is the signing time in UTC, D:YYYYMMDDHHmmSSZ', async () => {
    const { signature } = await readField(prepared);
    const m = signature.lookup(PDFName.of('M'), PDFString);
    expect(m.asString()).toBe('D:20261121003000Z');
    expect(m.decodeDate().getTime()).toBe(SIGNING_TIME.getTime());
    expect(pdfDateUtc(new Date('2026-01-02T03:04:05.678+08:00'))).toBe('D:20260101190405Z');
  });

  test('Chinese /Reason, /Location, /Name round-trip as UTF-16BE text strings with a BOM', async () => {
    const { signature } = await readField(prepared);
    expect(text(signature, 'Reason')).toBe('颁发电子证照');
    expect(text(signature, 'Location')).toBe('福建省福州市');
    expect(text(signature, 'Name')).toBe('福州市市场监督管理局');
    expect(text(signature, 'ContactInfo')).toBe('zhengzhao@example.gov.cn');
    const reason = signature.lookup(PDFName.of('Reason'));
    expect(reason).toBeInstanceOf(PDFHexString);
    expect((reason as PDFHexString).asString().startsWith('FEFF')).toBe(true);
  });

  test('the widget is invisible, printed and locked, on the first page, and the AcroForm says signatures exist (append only)', async () => {
    const { doc, field, fieldRef } = await readField(prepared);
    expect(field.lookup(PDFName.of('FT'))).toBe(PDFName.of('Sig'));
    expect(field.lookup(PDFName.of('Subtype'))).toBe(PDFName.of('Widget'));
    expect(
      field
        .lookup(PDFName.of('Rect'), PDFArray)
        .asArray()
        .map((n) => (n as PDFNumber).asNumber()),
    ).toEqual([0, 0, 0, 0]);
    expect(field.lookup(PDFName.of('F'), PDFNumber).asNumber()).toBe(4 | 128);
    const page = doc.getPage(0);
    expect(field.get(PDFName.of('P'))).toBe(page.ref);
    expect(page.node.Annots()?.asArray()).toContainEqual(fieldRef);
    const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    expect(acroForm.lookup(PDFName.of('SigFlags'), PDFNumber).asNumber()).toBe(3);
  });

  test('placeholderBytes is honoured, and less than 16384 is refused', async () => {
    const { pdf: larger } = await makePreparedPdf({ placeholderBytes: 20_000 });
    const { signature } = await readField(larger);
    const contents = signature.lookup(PDFName.of('Contents'), PDFHexString);
    expect(contents.asString()).toBe('00'.repeat(20_000));
    const doc = await makeOnePageDoc();
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, placeholderBytes: 16_383 })).toThrow(RangeError);
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, placeholderBytes: 16_384.5 })).toThrow(RangeError);
  });

  test('a second field with the same name is refused; another name is added beside it', async () => {
    const doc = await makeOnePageDoc();
    const field = addSignaturePlaceholder(doc, PLACEHOLDER_OPTIONS);
    let error: unknown;
    try {
      addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, reason: 'again' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SigningError);
    expect(error).toMatchObject({ code: 'ERR_SIGNING_FAILED', details: { fieldName: 'Signature1' } });

    // The same refusal once the file was saved and loaded again (the slow path).
    const { pdf: saved } = await savePreparedPdf(doc, field);
    await expect(preparePdfForSigning(saved, PLACEHOLDER_OPTIONS)).rejects.toMatchObject({ code: 'ERR_SIGNING_FAILED' });
    const twice = await preparePdfForSigning(saved, { ...PLACEHOLDER_OPTIONS, fieldName: '签名2' });
    expect(locateSignaturePlaceholder(twice.pdf)).toEqual(twice.placeholder);
    const reloaded = await PDFDocument.load(twice.pdf);
    expect(
      reloaded
        .getForm()
        .getFields()
        .map((f) => f.getName()),
    ).toEqual(['Signature1', '签名2']);
  });

  test('existing AcroForm fields are kept and existing /SigFlags are merged', async () => {
    const doc = await makeOnePageDoc();
    const form = doc.getForm();
    form.createTextField('holder.name').setText('ZHANG San');
    form.acroForm.dict.set(PDFName.of('SigFlags'), PDFNumber.of(1));
    const field = addSignaturePlaceholder(doc, PLACEHOLDER_OPTIONS);
    const reloaded = await PDFDocument.load((await savePreparedPdf(doc, field)).pdf);
    const names = reloaded
      .getForm()
      .getFields()
      .map((field) => field.getName());
    expect(names).toEqual(['holder.name', 'Signature1']);
    expect(reloaded.getForm().getTextField('holder.name').getText()).toBe('ZHANG San');
    expect(reloaded.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('SigFlags'), PDFNumber).asNumber()).toBe(3);
  });

  test("bad options are programming errors; a missing page is ERR_SIGNING_FAILED (a fault in the vault's own document)", async () => {
    const doc = await makeOnePageDoc();
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, fieldName: '' })).toThrow(TypeError);
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, fieldName: 'a.b' })).toThrow(TypeError);
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, signingTime: new Date(Number.NaN) })).toThrow(TypeError);
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, pageIndex: -1 })).toThrow(RangeError);
    expect(() => addSignaturePlaceholder(doc, { ...PLACEHOLDER_OPTIONS, pageIndex: 1 })).toThrow(expect.objectContaining({ code: 'ERR_SIGNING_FAILED' }) as Error);
  });

  test('savePreparedPdf says where the placeholder lies, from the saved xref table: where the locator finds it', async () => {
    for (const { pdf, placeholder } of [
      await makePreparedPdf(),
      await makePreparedPdf({ placeholderBytes: 20_000, padding: 10_000 }),
      await preparePdfForSigning(await makePdfWithObjectStreams(), PLACEHOLDER_OPTIONS),
    ]) {
      expect(locateSignaturePlaceholder(pdf)).toEqual(placeholder);
      expect(latin1(pdf.subarray(placeholder.byteRangeStart, placeholder.byteRangeEnd))).toBe('[ 0 /********** /********** /********** ]');
      expect(latin1(pdf.subarray(placeholder.contentsStart - 10, placeholder.contentsStart + 3))).toBe('/Contents <00');
      expect(pdf[placeholder.contentsEnd - 1]).toBe(0x3e);
    }
  });

  test('savePreparedPdf writes no object streams, so /Contents is raw bytes in the file', async () => {
    const text = latin1(prepared);
    expect(text).not.toContain('/ObjStm');
    expect(text).toContain(`/Contents <${'00'.repeat(MIN_PLACEHOLDER_BYTES)}>`);
  });

  test('the signature dictionary stays out of object streams even if the document is saved with them', async () => {
    const doc = await makeOnePageDoc();
    addSignaturePlaceholder(doc, PLACEHOLDER_OPTIONS);
    const text = latin1(await doc.save({ useObjectStreams: true }));
    expect(text).toContain('/ObjStm');
    expect(text).toContain(`/Contents <${'00'.repeat(MIN_PLACEHOLDER_BYTES)}>`);
  });

  test('preparePdfForSigning takes an arbitrary PDF (object streams included) and keeps its metadata', async () => {
    const original = await makePdfWithObjectStreams();
    const { pdf: prepared2 } = await preparePdfForSigning(original, { ...PLACEHOLDER_OPTIONS, pageIndex: 0 });
    expect(latin1(prepared2)).not.toContain('/ObjStm');
    expect((await qpdfCheck(temp.dir, prepared2, 'slow.pdf')).code).toBe(0);
    const before = await PDFDocument.load(original, { updateMetadata: false });
    const after = await PDFDocument.load(prepared2, { updateMetadata: false });
    expect(after.getModificationDate()?.getTime()).toBe(before.getModificationDate()?.getTime());
    expect(after.getProducer()).toBe(before.getProducer());
    expect((await readField(prepared2)).signature.lookup(PDFName.of('SubFilter'))).toBe(PDFName.of('ETSI.CAdES.detached'));
  });

  test('preparePdfForSigning refuses what pdf-lib cannot load with ERR_SIGNING_FAILED', async () => {
    await expect(preparePdfForSigning(new TextEncoder().encode('not a pdf at all'), PLACEHOLDER_OPTIONS)).rejects.toMatchObject({ code: 'ERR_SIGNING_FAILED' });
  });
});
