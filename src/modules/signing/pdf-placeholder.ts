import { SigningError } from '../../shared/errors.js';

/**
 * Fills the signature placeholder that adapters/pdf/signature-placeholder.ts
 * leaves in a saved PDF: finds it, writes the /ByteRange, exposes the two
 * signed ranges and writes the CMS into the /Contents gap. Pure byte work on
 * the saved file, no PDF library: the file length never changes, so nothing
 * after the signature dictionary (xref offsets) moves.
 *
 * Flow: `location = locateSignaturePlaceholder(saved)`;
 * `pdf = fillByteRange(saved, location)` (the one copy);
 * hash `signedRanges(pdf, location)`; build the CMS;
 * `fillSignature(pdf, location, cms)` (in place).
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

function asBuffer(pdf: Uint8Array): Buffer {
  return Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

function isDelimiter(byte: number): boolean {
  // ( ) < > [ ] { } / %
  return byte === 0x28 || byte === 0x29 || byte === 0x3c || byte === 0x3e || byte === 0x5b || byte === 0x5d || byte === 0x7b || byte === 0x7d || byte === 0x2f || byte === 0x25;
}

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** What the minimal parser needs to know about a value it walked over. */
type Walked =
  | { readonly kind: 'dict'; readonly start: number; readonly end: number; readonly entries: ReadonlyMap<string, Walked> }
  | { readonly kind: 'array'; readonly start: number; readonly end: number; readonly items: readonly Walked[] }
  | { readonly kind: 'hex'; readonly start: number; readonly end: number }
  | { readonly kind: 'other'; readonly start: number; readonly end: number; readonly text: string };

class NotHere extends Error {}

/**
 * A small recursive-descent reader for the one indirect object around the
 * placeholder. It only needs to keep strings, comments and nested
 * dictionaries from being mistaken for structure; anything it does not
 * understand makes the candidate fail (NotHere), never a wrong answer.
 */
class ObjectReader {
  pos: number;

  constructor(
    private readonly pdf: Buffer,
    start: number,
  ) {
    this.pos = start;
  }

  private skipSpace(): void {
    const pdf = this.pdf;
    for (;;) {
      const byte = pdf[this.pos];
      if (isWhitespace(byte)) this.pos += 1;
      else if (byte === 0x25) {
        while (this.pos < pdf.length && pdf[this.pos] !== 0x0a && pdf[this.pos] !== 0x0d) this.pos += 1;
      } else return;
    }
  }

  value(depth: number): Walked {
    if (depth > MAX_DEPTH) throw new NotHere();
    this.skipSpace();
    const pdf = this.pdf;
    const start = this.pos;
    const byte = pdf[start];
    if (byte === undefined) throw new NotHere();
    if (byte === LESS && pdf[start + 1] === LESS) {
      this.pos += 2;
      const entries = new Map<string, Walked>();
      for (;;) {
        this.skipSpace();
        if (pdf[this.pos] === GREATER && pdf[this.pos + 1] === GREATER) {
          this.pos += 2;
          return { kind: 'dict', start, end: this.pos, entries };
        }
        const key = this.value(depth + 1);
        if (key.kind !== 'other' || !key.text.startsWith('/')) throw new NotHere();
        const value = this.value(depth + 1);
        if (!entries.has(key.text)) entries.set(key.text, value);
      }
    }
    if (byte === LESS) {
      let i = start + 1;
      while (i < pdf.length && (isHexDigit(pdf[i]!) || isWhitespace(pdf[i]))) i += 1;
      if (pdf[i] !== GREATER) throw new NotHere();
      this.pos = i + 1;
      return { kind: 'hex', start, end: this.pos };
    }
    if (byte === LEFT_BRACKET) {
      this.pos += 1;
      const items: Walked[] = [];
      for (;;) {
        this.skipSpace();
        if (pdf[this.pos] === RIGHT_BRACKET) {
          this.pos += 1;
          return { kind: 'array', start, end: this.pos, items };
        }
        items.push(this.value(depth + 1));
      }
    }
    if (byte === 0x28) {
      let i = start + 1;
      let nesting = 1;
      while (i < pdf.length && nesting > 0) {
        const c = pdf[i];
        if (c === 0x5c) i += 1;
        else if (c === 0x28) nesting += 1;
        else if (c === 0x29) nesting -= 1;
        i += 1;
      }
      if (nesting > 0) throw new NotHere();
      this.pos = i;
      return { kind: 'other', start, end: i, text: '' };
    }
    if (byte === GREATER || byte === RIGHT_BRACKET || byte === 0x29 || byte === 0x7b || byte === 0x7d) throw new NotHere();
    // A name, number or keyword: a run of regular characters (a name starts with its '/').
    let i = start + 1;
    while (i < pdf.length && !isWhitespace(pdf[i]) && !isDelimiter(pdf[i]!)) i += 1;
    this.pos = i;
    return { kind: 'other', start, end: i, text: pdf.toString('latin1', start, i) };
  }
}

/** The dictionary (at any depth of `value`) whose /ByteRange is the array starting at `bracket`. */
function dictWithByteRangeAt(value: Walked, bracket: number): Extract<Walked, { kind: 'dict' }> | null {
  if (bracket < value.start || bracket >= value.end) return null;
  if (value.kind === 'dict') {
    const byteRange = value.entries.get('/ByteRange');
    if (byteRange?.kind === 'array' && byteRange.start === bracket) return value;
    for (const entry of value.entries.values()) {
      const found = dictWithByteRangeAt(entry, bracket);
      if (found) return found;
    }
  } else if (value.kind === 'array') {
    for (const item of value.items) {
      const found = dictWithByteRangeAt(item, bracket);
      if (found) return found;
    }
  }
  return null;
}

/** Skips a run of bytes backwards from `i`; returns the index before the run. */
function skipBack(pdf: Buffer, i: number, test: (byte: number | undefined) => boolean): number {
  let j = i;
  while (j >= 0 && test(pdf[j])) j -= 1;
  return j;
}

const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** Offset of the `obj` keyword of the nearest `N G obj` header at or before `from`, or -1. */
function previousObjectKeyword(pdf: Buffer, from: number): number {
  let at = from;
  while (at >= 0) {
    at = pdf.lastIndexOf('obj', at, 'latin1');
    if (at < 0) return -1;
    const after = pdf[at + 3];
    if (after === undefined || isWhitespace(after) || isDelimiter(after)) {
      // `N G obj`: whitespace, digits, whitespace, digits, then a token boundary.
      const a = skipBack(pdf, at - 1, isWhitespace);
      const b = skipBack(pdf, a, isDigit);
      const c = skipBack(pdf, b, isWhitespace);
      const d = skipBack(pdf, c, isDigit);
      const before = pdf[d];
      if (a < at - 1 && b < a && c < b && d < c && (before === undefined || isWhitespace(before) || isDelimiter(before))) return at;
    }
    at -= 1;
  }
  return -1;
}

function contentsIsZeroPlaceholder(pdf: Buffer, contents: { start: number; end: number }): boolean {
  // A placeholder is written as '<' + zeros + '>' without whitespace.
  if (contents.end - contents.start < 4) return false;
  for (let i = contents.start + 1; i < contents.end - 1; i += 1) if (pdf[i] !== ZERO) return false;
  return true;
}

function tryOccurrence(pdf: Buffer, names: number): SignaturePlaceholderLocation | null {
  // `[ 0 /…` before the names (pdf-lib writes `[ 0 `; `[0 ` is accepted too).
  let i = names - 1;
  if (!isWhitespace(pdf[i])) return null;
  while (i >= 0 && isWhitespace(pdf[i])) i -= 1;
  if (pdf[i] !== ZERO) return null;
  i -= 1;
  while (i >= 0 && isWhitespace(pdf[i])) i -= 1;
  if (pdf[i] !== LEFT_BRACKET) return null;
  const bracket = i;
  let j = names + PLACEHOLDER_NAMES.length;
  while (j < pdf.length && isWhitespace(pdf[j])) j += 1;
  if (pdf[j] !== RIGHT_BRACKET) return null;
  const byteRangeEnd = j + 1;

  let search = bracket;
  for (let attempt = 0; attempt < MAX_CANDIDATES; attempt += 1) {
    const keyword = previousObjectKeyword(pdf, search);
    if (keyword < 0) return null;
    search = keyword - 1;
    let top: Walked;
    try {
      top = new ObjectReader(pdf, keyword + 3).value(0);
    } catch (error) {
      if (error instanceof NotHere) continue;
      throw error;
    }
    const dict = dictWithByteRangeAt(top, bracket);
    if (dict === null) continue;
    const contents = dict.entries.get('/Contents');
    if (contents?.kind !== 'hex' || !contentsIsZeroPlaceholder(pdf, contents)) return null;
    return { byteRangeStart: bracket, byteRangeEnd, contentsStart: contents.start, contentsEnd: contents.end };
  }
  return null;
}

/**
 * Finds the last signature placeholder in `pdf`: the `[0 /********** …]`
 * /ByteRange and the all-zero /Contents hex string of the same dictionary.
 * Costs a reverse byte search plus one pass over that one object.
 *
 * @throws SigningError ERR_SIGNING_FAILED when there is none.
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
  throw new SigningError('ERR_SIGNING_FAILED', 'The PDF has no signature placeholder to fill');
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
 * @throws SigningError ERR_SIGNING_FAILED when `location` does not point at a placeholder of this file.
 */
export function fillByteRange(pdf: Uint8Array, location: SignaturePlaceholderLocation): Uint8Array {
  const { byteRangeStart, byteRangeEnd } = location;
  if (pdf[byteRangeStart] !== LEFT_BRACKET || pdf[byteRangeEnd - 1] !== RIGHT_BRACKET) {
    throw new SigningError('ERR_SIGNING_FAILED', 'The location does not point at a /ByteRange placeholder of this file');
  }
  const text = `[${byteRangeFor(location, pdf.length).join(' ')}`;
  const width = byteRangeEnd - byteRangeStart;
  if (text.length + 1 > width) {
    throw new SigningError('ERR_SIGNING_FAILED', 'The /ByteRange numbers do not fit the placeholder', { width, needed: text.length + 1 });
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
 * @throws SigningError ERR_SIGNING_FAILED when the CMS does not fit the placeholder.
 * @throws SigningError ERR_SIGNING_FAILED when `location` does not point at a hex string of this file.
 */
export function fillSignature(pdf: Uint8Array, location: SignaturePlaceholderLocation, cmsDer: Uint8Array): Uint8Array {
  const { contentsStart, contentsEnd } = location;
  byteRangeFor(location, pdf.length);
  if (pdf[contentsStart] !== LESS || pdf[contentsEnd - 1] !== GREATER) {
    throw new SigningError('ERR_SIGNING_FAILED', 'The location does not point at the /Contents placeholder of this file');
  }
  if (cmsDer.length === 0) throw new RangeError('The CMS signature is empty');
  const width = contentsEnd - contentsStart - 2;
  if (cmsDer.length * 2 > width) {
    throw new SigningError('ERR_SIGNING_FAILED', 'The signature does not fit the placeholder reserved for it', {
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
