import { asBuffer, Budget, isWhitespace, Lexer, PdfSyntaxError, ScanLimitError, UNBOUNDED } from './lexer.js';
import { OBJ_KEYWORD, objectHeaderAt } from './object-header.js';
import { Parser, type PdfDict } from './parser.js';

/**
 * Fills the signature placeholder a renderer leaves in a saved PDF (see
 * adapters/pdf/signature-placeholder.ts): locates it, writes the /ByteRange,
 * exposes the two signed ranges and writes the CMS into the /Contents gap.
 * Pure byte work on the saved file: the file length never changes, so
 * nothing after the signature dictionary (xref offsets) moves.
 *
 * Flow: the renderer returns the location with the bytes (a
 * {@link PreparedPdf}); `locateSignaturePlaceholder(pdf)` checks it;
 * `filled = fillByteRange(pdf, location)` (the one copy);
 * hash `signedRanges(filled, location)`; build the CMS;
 * `fillSignature(filled, location, cms)` (in place).
 */

/** Offsets into the saved file; `*End` offsets are exclusive. */
export interface SignaturePlaceholderLocation {
  /** Offset of the /ByteRange array's '['. */
  readonly byteRangeStart: number;
  /** Offset just after its ']'. */
  readonly byteRangeEnd: number;
  /** Offset of the /Contents hex string's '<'. */
  readonly contentsStart: number;
  /** Offset just after its '>'. */
  readonly contentsEnd: number;
}

/** An unsigned PDF carrying a signature placeholder, and where that placeholder lies (as its writer knows it). */
export interface PreparedPdf {
  readonly pdf: Uint8Array;
  readonly placeholder: SignaturePlaceholderLocation;
}

/** The placeholder cannot be found or filled: `missing` (no placeholder there), `too-small` (what must go in does not fit). */
export class PlaceholderError extends Error {
  constructor(
    readonly reason: 'missing' | 'too-small',
    message: string,
    readonly details?: Readonly<Record<string, number>>,
  ) {
    super(message);
  }
}

/** Whether two locations name the same bytes. */
export function sameLocation(a: SignaturePlaceholderLocation, b: SignaturePlaceholderLocation): boolean {
  return a.byteRangeStart === b.byteRangeStart && a.byteRangeEnd === b.byteRangeEnd && a.contentsStart === b.contentsStart && a.contentsEnd === b.contentsEnd;
}

/** The three placeholder names of `[0 /********** /********** /**********]`, as written (one space apart). */
const PLACEHOLDER_NAMES = Buffer.from('/********** /********** /**********', 'latin1');
/** How many candidate occurrences, and object headers per occurrence, to try before giving up. */
const MAX_CANDIDATES = 8;
/** Nesting allowed inside the object holding the signature dictionary. */
const MAX_DEPTH = 32;

const LEFT_BRACKET = 0x5b;
const RIGHT_BRACKET = 0x5d;
const LESS = 0x3c;
const GREATER = 0x3e;
const ZERO = 0x30;
const SPACE = 0x20;

/** Offset of the `obj` keyword of the nearest `N G obj` header at or before `from`, or -1. */
function previousObjectKeyword(pdf: Buffer, from: number): number {
  for (let at = pdf.lastIndexOf(OBJ_KEYWORD, from); at >= 0; at = at > 0 ? pdf.lastIndexOf(OBJ_KEYWORD, at - 1) : -1) {
    if (objectHeaderAt(pdf, at)) return at;
  }
  return -1;
}

function contentsIsZeroPlaceholder(pdf: Buffer, contents: { start: number; end: number }): boolean {
  // A placeholder is written as '<' + zeros + '>' without whitespace.
  if (contents.end - contents.start < 4) return false;
  for (let i = contents.start + 1; i < contents.end - 1; i += 1) if (pdf[i] !== ZERO) return false;
  return true;
}

/**
 * The dictionary (at any depth) of the object whose value starts at
 * `valueStart` that has the /ByteRange array starting at `bracket`, or null
 * when there is none or the object does not parse: a candidate that is not
 * understood fails, it never gives a wrong answer.
 */
function dictWithByteRangeAt(pdf: Buffer, valueStart: number, bracket: number): PdfDict | null {
  let found: PdfDict | null = null;
  const onDict = (dict: PdfDict): void => {
    const byteRange = dict.entries.get('ByteRange');
    if (found === null && byteRange?.kind === 'array' && byteRange.start === bracket) found = dict;
  };
  try {
    // The vault's own file: its size bounds the work of the few candidates tried.
    new Parser(new Lexer(pdf, valueStart, new Budget(UNBOUNDED)), MAX_DEPTH, onDict).value();
  } catch (error) {
    if (error instanceof PdfSyntaxError || error instanceof ScanLimitError) return null;
    throw error;
  }
  return found;
}

function tryOccurrence(pdf: Buffer, names: number): SignaturePlaceholderLocation | null {
  // `[ 0 /…` before the names (pdf-lib writes `[ 0 `; `[0 ` is accepted too).
  let i = names - 1;
  if (!isWhitespace(pdf[i]!)) return null;
  while (i >= 0 && isWhitespace(pdf[i]!)) i -= 1;
  if (pdf[i] !== ZERO) return null;
  i -= 1;
  while (i >= 0 && isWhitespace(pdf[i]!)) i -= 1;
  if (pdf[i] !== LEFT_BRACKET) return null;
  const bracket = i;
  let j = names + PLACEHOLDER_NAMES.length;
  while (j < pdf.length && isWhitespace(pdf[j]!)) j += 1;
  if (pdf[j] !== RIGHT_BRACKET) return null;
  const byteRangeEnd = j + 1;

  let search = bracket;
  for (let attempt = 0; attempt < MAX_CANDIDATES; attempt += 1) {
    const keyword = previousObjectKeyword(pdf, search);
    if (keyword < 0) return null;
    search = keyword - 1;
    const dict = dictWithByteRangeAt(pdf, keyword + OBJ_KEYWORD.length, bracket);
    if (dict === null) continue;
    const contents = dict.entries.get('Contents');
    if (contents?.kind !== 'string' || !contents.hex || !contentsIsZeroPlaceholder(pdf, contents)) return null;
    return { byteRangeStart: bracket, byteRangeEnd, contentsStart: contents.start, contentsEnd: contents.end };
  }
  return null;
}

/**
 * Finds the last signature placeholder in `pdf`: the `[0 /********** …]`
 * /ByteRange and the all-zero /Contents hex string of the same dictionary.
 * Costs a reverse byte search plus one pass over that one object.
 *
 * @throws PlaceholderError `missing` when there is none.
 */
export function locateSignaturePlaceholder(pdf: Uint8Array): SignaturePlaceholderLocation {
  const buffer = asBuffer(pdf);
  let from = buffer.length;
  for (let attempt = 0; attempt < MAX_CANDIDATES; attempt += 1) {
    const names = buffer.lastIndexOf(PLACEHOLDER_NAMES, from);
    if (names < 0) break;
    const location = tryOccurrence(buffer, names);
    if (location) return location;
    from = names - 1;
    if (from < 0) break;
  }
  throw new PlaceholderError('missing', 'The PDF has no signature placeholder to fill');
}

/** The /ByteRange for a placeholder: everything but the /Contents hex string, delimiters included. */
export function byteRangeFor(location: SignaturePlaceholderLocation, fileLength: number): [number, number, number, number] {
  if (!(location.contentsStart > 0 && location.contentsEnd > location.contentsStart && location.contentsEnd <= fileLength)) {
    throw new RangeError('The placeholder location does not fit this file');
  }
  return [0, location.contentsStart, location.contentsEnd, fileLength - location.contentsEnd];
}

/**
 * Returns a copy of `pdf` (the one copy of the fill-in path) with the
 * /ByteRange written into the placeholder, space-padded to its fixed width:
 * `[0 1234 5678 9012      ]`. The input is left untouched.
 *
 * @throws PlaceholderError `missing` when `location` does not point at a placeholder of this file.
 */
export function fillByteRange(pdf: Uint8Array, location: SignaturePlaceholderLocation): Uint8Array {
  const { byteRangeStart, byteRangeEnd } = location;
  if (pdf[byteRangeStart] !== LEFT_BRACKET || pdf[byteRangeEnd - 1] !== RIGHT_BRACKET) {
    throw new PlaceholderError('missing', 'The location does not point at a /ByteRange placeholder of this file');
  }
  const text = `[${byteRangeFor(location, pdf.length).join(' ')}`;
  const width = byteRangeEnd - byteRangeStart;
  if (text.length + 1 > width) {
    throw new PlaceholderError('too-small', 'The /ByteRange numbers do not fit the placeholder', { width, needed: text.length + 1 });
  }
  const out = Buffer.allocUnsafe(pdf.length);
  out.set(pdf);
  out.write(text, byteRangeStart, 'latin1');
  out.fill(SPACE, byteRangeStart + text.length, byteRangeEnd - 1);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The two parts of `pdf` the signature covers (views, not copies): before and after the /Contents hex string. */
export function signedRanges(pdf: Uint8Array, location: SignaturePlaceholderLocation): readonly [Uint8Array, Uint8Array] {
  byteRangeFor(location, pdf.length);
  return [pdf.subarray(0, location.contentsStart), pdf.subarray(location.contentsEnd)];
}

/**
 * Writes the DER CMS as upper-case hex into the /Contents gap of `pdf`, in
 * place, padded with '0' to the gap's full width, and returns `pdf`.
 *
 * @throws PlaceholderError `too-small` when the CMS does not fit the placeholder.
 * @throws PlaceholderError `missing` when `location` does not point at a hex string of this file.
 */
export function fillSignature(pdf: Uint8Array, location: SignaturePlaceholderLocation, cmsDer: Uint8Array): Uint8Array {
  const { contentsStart, contentsEnd } = location;
  byteRangeFor(location, pdf.length);
  if (pdf[contentsStart] !== LESS || pdf[contentsEnd - 1] !== GREATER) {
    throw new PlaceholderError('missing', 'The location does not point at the /Contents placeholder of this file');
  }
  if (cmsDer.length === 0) throw new RangeError('The CMS signature is empty');
  const width = contentsEnd - contentsStart - 2;
  if (cmsDer.length * 2 > width) {
    throw new PlaceholderError('too-small', 'The signature does not fit the placeholder reserved for it', {
      signatureBytes: cmsDer.length,
      placeholderBytes: Math.floor(width / 2),
    });
  }
  const target = asBuffer(pdf);
  const hex = asBuffer(cmsDer).toString('hex').toUpperCase();
  target.write(hex, contentsStart + 1, 'latin1');
  target.fill(ZERO, contentsStart + 1 + hex.length, contentsEnd - 1);
  return pdf;
}
