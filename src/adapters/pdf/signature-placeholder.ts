import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFString, type PDFObject, type PDFRef } from 'pdf-lib';
import { crossReferenceOffset, type PreparedPdf, type SignaturePlaceholderLocation } from '../../lib/pdf-bytes/index.js';
import { SigningError } from '../../shared/errors.js';

/** The smallest (and default) room reserved for the CMS: a B-B signature with a three-certificate chain fits with margin. */
export const MIN_PLACEHOLDER_BYTES = 16384;

/**
 * The /ByteRange placeholder: three names of ten asterisks after the leading 0,
 * as node-signpdf writes it. Names keep the array's text width fixed, so the
 * fill-in (lib/pdf-bytes/placeholder.ts) overwrites it in place with
 * space-padded numbers once the offsets are known.
 */
export const BYTE_RANGE_PLACEHOLDER_NAME = '**********';

/** Annotation flags (ISO 32000-1, 12.5.3): Print (bit 3) + Locked (bit 8). */
const WIDGET_FLAGS = 4 | 128;
/** AcroForm /SigFlags: SignaturesExist (1) + AppendOnly (2). */
const SIG_FLAGS = 1 | 2;

export interface SignaturePlaceholderOptions {
  /** The signature field's partial name (/T). Must be unique in the AcroForm and may not contain a period. */
  readonly fieldName: string;
  /** Written as /M, in UTC; the signature dictionary holds no other time. */
  readonly signingTime: Date;
  /** Bytes reserved for the DER CMS (the hex string is twice as wide). At least 16384; default 16384. */
  readonly placeholderBytes?: number;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** /Name: the signer's name, for display. */
  readonly signerName?: string;
  /** Page that carries the invisible widget; default 0. */
  readonly pageIndex?: number;
}

/** `D:YYYYMMDDHHmmSSZ`, always UTC. */
export function pdfDateUtc(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `D:${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

function checkOptions(options: SignaturePlaceholderOptions): { placeholderBytes: number; pageIndex: number } {
  const { fieldName, signingTime } = options;
  if (typeof fieldName !== 'string' || fieldName.length === 0 || fieldName.includes('.')) {
    throw new TypeError('fieldName must be a non-empty string without a period');
  }
  if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime())) {
    throw new TypeError('signingTime must be a valid Date');
  }
  const year = signingTime.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new RangeError('signingTime must have a four-digit year');
  const placeholderBytes = options.placeholderBytes ?? MIN_PLACEHOLDER_BYTES;
  if (!Number.isSafeInteger(placeholderBytes) || placeholderBytes < MIN_PLACEHOLDER_BYTES) {
    throw new RangeError(`placeholderBytes must be an integer of at least ${MIN_PLACEHOLDER_BYTES}`);
  }
  const pageIndex = options.pageIndex ?? 0;
  if (!Number.isSafeInteger(pageIndex) || pageIndex < 0) throw new RangeError('pageIndex must be a non-negative integer');
  return { placeholderBytes, pageIndex };
}

/** Offsets inside one serialised object; `end` is exclusive. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** What {@link addSignaturePlaceholder} added: the signature dictionary's object, and where its two placeholders lie inside it. */
export interface SignaturePlaceholderField {
  readonly signatureRef: PDFRef;
  readonly byteRange: Span;
  readonly contents: Span;
}

/**
 * A dictionary's bytes laid out as pdf-lib writes one (`<<`, then a line per
 * `/Key value`, then `>>`), with where each value lies in them.
 */
function serialiseDictionary(entries: readonly (readonly [string, PDFObject])[]): { bytes: Uint8Array; values: ReadonlyMap<string, Span> } {
  const named = entries.map(([key, value]) => [key, PDFName.of(key), value] as const);
  const size = named.reduce((total, [, name, value]) => total + name.sizeInBytes() + value.sizeInBytes() + 2, 5);
  const bytes = new Uint8Array(size);
  const values = new Map<string, Span>();
  bytes.set([0x3c, 0x3c, 0x0a]);
  let at = 3;
  for (const [key, name, value] of named) {
    at += name.copyBytesInto(bytes, at);
    bytes[at++] = 0x20;
    const start = at;
    at += value.copyBytesInto(bytes, at);
    values.set(key, { start, end: at });
    bytes[at++] = 0x0a;
  }
  bytes.set([0x3e, 0x3e], at);
  return { bytes, values };
}

/** A text string that viewers show correctly whatever the script: UTF-16BE with a BOM, hex-encoded. */
function textString(value: string): PDFHexString {
  return PDFHexString.fromText(value);
}

/** Plain ASCII names stay literal (readable in the file); anything else is a UTF-16BE text string. */
function fieldNameString(value: string): PDFString | PDFHexString {
  return /^[A-Za-z0-9_\- ]+$/.test(value) ? PDFString.of(value) : textString(value);
}

function decodedText(value: unknown): string | null {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null;
}

/**
 * Adds an invisible, not yet signed PAdES signature field to `doc`: a merged
 * field/widget ([0 0 0 0], Print + Locked) on the page, listed in the AcroForm,
 * whose /V is the signature dictionary with a fixed-width /ByteRange
 * placeholder and `placeholderBytes` zero bytes of /Contents.
 *
 * The signature dictionary is registered as raw bytes (a PDFInvalidObject),
 * so pdf-lib can never move it into an object stream, even if the document is
 * later saved with object streams; save with {@link savePreparedPdf} anyway,
 * which says where the placeholder lies in the saved file.
 *
 * @throws SigningError ERR_SIGNING_FAILED (a fault of the vault's own document) when the page does not exist or the AcroForm already has a field with this name.
 */
export function addSignaturePlaceholder(doc: PDFDocument, options: SignaturePlaceholderOptions): SignaturePlaceholderField {
  const { placeholderBytes, pageIndex } = checkOptions(options);
  const context = doc.context;

  const pageCount = doc.getPageCount();
  if (pageIndex >= pageCount) {
    throw new SigningError('ERR_SIGNING_FAILED', `The PDF has no page ${pageIndex + 1} to carry the signature field`, { pageIndex, pageCount });
  }
  const page = doc.getPage(pageIndex);

  let acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (acroForm === undefined) {
    acroForm = context.obj({});
    doc.catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
  }
  let fields = acroForm.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (fields === undefined) {
    fields = context.obj([]);
    acroForm.set(PDFName.of('Fields'), fields);
  }
  for (let i = 0; i < fields.size(); i += 1) {
    const field = fields.lookupMaybe(i, PDFDict);
    if (field !== undefined && decodedText(field.lookup(PDFName.of('T'))) === options.fieldName) {
      throw new SigningError('ERR_SIGNING_FAILED', 'The PDF already has a form field with this name', { fieldName: options.fieldName });
    }
  }

  const texts: readonly [string, string | undefined][] = [
    ['Name', options.signerName],
    ['Reason', options.reason],
    ['Location', options.location],
    ['ContactInfo', options.contactInfo],
  ];
  const signature = serialiseDictionary([
    ['Type', PDFName.of('Sig')],
    ['Filter', PDFName.of('Adobe.PPKLite')],
    ['SubFilter', PDFName.of('ETSI.CAdES.detached')],
    ['ByteRange', context.obj([0, ...Array.from({ length: 3 }, () => PDFName.of(BYTE_RANGE_PLACEHOLDER_NAME))])],
    ['Contents', PDFHexString.of('00'.repeat(placeholderBytes))],
    ['M', PDFString.of(pdfDateUtc(options.signingTime))],
    ...texts.flatMap(([key, value]) => (value === undefined ? [] : [[key, textString(value)] as const])),
  ]);
  const signatureRef = context.register(PDFInvalidObject.of(signature.bytes));

  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: fieldNameString(options.fieldName),
    V: signatureRef,
    F: WIDGET_FLAGS,
    Rect: [0, 0, 0, 0],
    P: page.ref,
  });
  const widgetRef = context.register(widget);
  page.node.addAnnot(widgetRef);
  fields.push(widgetRef);

  const flags = acroForm.lookup(PDFName.of('SigFlags'));
  const existing = flags instanceof PDFNumber ? flags.asNumber() : 0;
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of((existing | SIG_FLAGS) >>> 0));
  return { signatureRef, byteRange: signature.values.get('ByteRange')!, contents: signature.values.get('Contents')! };
}

/**
 * Where `field`'s placeholder lies in `pdf`: the signature dictionary's
 * object starts where the file's cross-reference table says, and the
 * placeholders lie where they were written inside it.
 *
 * @throws SigningError ERR_SIGNING_FAILED when the object is not there (a fault of this renderer).
 */
function placeholderIn(pdf: Uint8Array, field: SignaturePlaceholderField): SignaturePlaceholderLocation {
  const { objectNumber, generationNumber } = field.signatureRef;
  const header = `${objectNumber} ${generationNumber} obj\n`;
  const objectStart = crossReferenceOffset(pdf, objectNumber);
  if (objectStart === null || Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1', objectStart, objectStart + header.length) !== header) {
    throw new SigningError('ERR_SIGNING_FAILED', 'The saved PDF does not hold the signature dictionary where its cross-reference table says', {
      objectNumber,
    });
  }
  const dictionary = objectStart + header.length;
  return {
    byteRangeStart: dictionary + field.byteRange.start,
    byteRangeEnd: dictionary + field.byteRange.end,
    contentsStart: dictionary + field.contents.start,
    contentsEnd: dictionary + field.contents.end,
  };
}

/**
 * Serialises a document that carries a signature placeholder, and says where
 * the placeholder lies in the bytes. Object streams stay off: inside an
 * object stream the signature dictionary would be Flate-compressed, so its
 * /Contents hex string would not exist as raw bytes in the file, and the
 * fill-in could neither find the gap nor write the CMS into it without
 * rewriting (and re-offsetting) the whole file. Every object is therefore
 * written uncompressed at top level, with a classic xref table.
 */
export async function savePreparedPdf(doc: PDFDocument, field: SignaturePlaceholderField): Promise<PreparedPdf> {
  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, placeholder: placeholderIn(pdf, field) };
}

/**
 * The slow path for an arbitrary PDF: loads it with pdf-lib, adds the
 * placeholder and saves it. The document's own metadata (Producer, ModDate)
 * is left alone. Only for files the vault made or trusts: pdf-lib inflates
 * whatever streams it loads without a bound.
 *
 * @throws SigningError ERR_SIGNING_FAILED when pdf-lib cannot load the file (damaged, encrypted) or it has no such page.
 */
export async function preparePdfForSigning(pdf: Uint8Array, options: SignaturePlaceholderOptions): Promise<PreparedPdf> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw new SigningError('ERR_SIGNING_FAILED', 'The PDF cannot be read to add a signature field', undefined, { cause: error });
  }
  return savePreparedPdf(doc, addSignaturePlaceholder(doc, options));
}
