import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { asBuffer, Budget, CR, isRegular, isWhitespace, Lexer, LF, PdfSyntaxError, ScanLimitError } from './lexer.js';
import { OBJ_KEYWORD, objectHeaderAt } from './object-header.js';
import { Parser, type PdfDict, type PdfValue } from './parser.js';
import { parsePdfDate } from './pdf-date.js';
import { stringBytes, textOf } from './strings.js';

/** Bounds on the work one scan may do; every one of them makes the scan fail (`ok: false`) when reached. */
export interface ScanLimits {
  /** Total bytes inflated from object streams. Default 64 MiB. */
  readonly maxInflatedBytes: number;
  /** Object streams decoded. Default 10,000. */
  readonly maxObjectStreams: number;
  /** Tokens lexed (one read again after the parser steps back counts once). Default 5,000,000. */
  readonly maxTokens: number;
  /** Nesting of arrays and dictionaries inside one object. Default 100, at most 1,000. */
  readonly maxDepth: number;
  /** Signature dictionaries listed; a license has one, so more than this is hostile. Default 1,000. */
  readonly maxSignatures: number;
  /** Bytes read in all: lexed (whitespace, comments and strings included) or fed to zlib. Objects may overlap, so this bounds the total. Default 256 MiB. */
  readonly maxScannedBytes: number;
  /** Parts that cannot be read (each one a note): a file of a million broken objects costs a syntax error each. Default 10,000. */
  readonly maxNotes: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  maxInflatedBytes: 64 * 1024 * 1024,
  maxObjectStreams: 10_000,
  maxTokens: 5_000_000,
  maxDepth: 100,
  maxSignatures: 1000,
  maxScannedBytes: 256 * 1024 * 1024,
  maxNotes: 10_000,
};

/** A signature dictionary: one with /Type /Sig, or with a /ByteRange. */
export interface FoundSignature {
  /** The indirect object that holds it (the dictionary itself, or one it is nested in). */
  readonly objectNumber: number;
  readonly generation: number;
  /** True when it was read from a (decompressed) object stream rather than the raw file. */
  readonly inObjectStream: boolean;
  /** /ByteRange as written, when it is an array of integers (of no more than a few thousand); otherwise null. */
  readonly byteRange: number[] | null;
  /** Raw-file offsets of the /Contents hex string's '<' and just after its '>'; null unless it is a hex string in the raw file. */
  readonly contents: { readonly start: number; readonly end: number } | null;
  /** /Contents decoded, when it is a string (hex or literal). */
  readonly contentsBytes: Uint8Array | null;
  readonly subFilter: string | null;
  readonly filter: string | null;
  /** /M as an ISO 8601 instant, when it parses. */
  readonly signingTime: string | null;
  /** /M as written (decoded text), when it is a string. */
  readonly rawSigningTime: string | null;
}

/**
 * `ok: true` lists every signature dictionary found, in the file order of the
 * objects holding them (within one object innermost first; an object
 * stream's objects where the stream object is). `notes` say what could not
 * be read (an object that does not parse, a stream with an unsupported
 * filter, a signature dictionary with duplicate keys). A signature could hide
 * in anything a note names: a verifier should treat any note as a failure.
 */
export type ScanResult = { readonly ok: true; readonly signatures: FoundSignature[]; readonly notes: string[] } | { readonly ok: false; readonly reason: string };

const MAX_NOTES = 100;
const HEADER_WINDOW = 1024;
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');
const STREAM = Buffer.from('stream', 'latin1');
const MAX_EOL_BEFORE_ENDSTREAM = 32;

function number(value: PdfValue | undefined): number | null {
  return value?.kind === 'number' && value.integer ? value.value : null;
}

function name(value: PdfValue | undefined): string | null {
  return value?.kind === 'name' ? value.value : null;
}

function isSignatureDict(dict: PdfDict): boolean {
  return name(dict.entries.get('Type')) === 'Sig' || dict.entries.has('ByteRange');
}

/** One scan's state: the file, the budget, what was found. */
class Scan {
  readonly signatures: FoundSignature[] = [];
  private readonly notes: string[] = [];
  private droppedNotes = 0;
  private readonly budget: Budget;
  private readonly file: Buffer;
  private endstreams: number[] | null = null;
  private inflatedBytes = 0;
  private objectStreams = 0;

  constructor(
    file: Uint8Array,
    private readonly limits: ScanLimits,
  ) {
    this.file = asBuffer(file);
    this.budget = new Budget(limits);
  }

  allNotes(): string[] {
    return this.droppedNotes > 0 ? [...this.notes, `… and ${this.droppedNotes} more notes`] : this.notes;
  }

  private note(text: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(text);
    else this.droppedNotes += 1;
    if (this.notes.length + this.droppedNotes > this.limits.maxNotes) throw new ScanLimitError(`more than ${this.limits.maxNotes} parts cannot be read`);
  }

  /**
   * Every `N G obj` header in the raw bytes, wherever it is: between objects,
   * but also inside a string, a comment, stream data or the /Contents gap of
   * another object, since a cross-reference offset can point anywhere. Each is
   * read as an object on its own; the budget bounds the overlap.
   */
  run(): void {
    const file = this.file;
    for (let at = file.indexOf(OBJ_KEYWORD); at >= 0; at = file.indexOf(OBJ_KEYWORD, at + 1)) {
      const header = objectHeaderAt(file, at);
      if (header) this.readRawObject(header.objectNumber, header.generation, header.offset, at + OBJ_KEYWORD.length);
    }
  }

  private readRawObject(objectNumber: number, generation: number, offset: number, valueStart: number): void {
    const lexer = new Lexer(this.file, valueStart, this.budget);
    let value: PdfValue;
    try {
      value = new Parser(lexer, this.limits.maxDepth, (dict) => this.found(dict, objectNumber, generation, false)).value();
    } catch (error) {
      if (error instanceof PdfSyntaxError) {
        this.note(`object ${objectNumber} ${generation} at offset ${offset} cannot be read: ${error.message} at offset ${error.offset}`);
        return;
      }
      throw error;
    }
    if (value.kind === 'dict' && this.looksLikeObjectStream(value)) {
      const dataStart = this.streamDataStart(lexer.pos);
      if (dataStart !== null) this.readObjectStream(value, objectNumber, generation, offset, dataStart);
    }
  }

  private looksLikeObjectStream(dict: PdfDict): boolean {
    // Readers follow a cross-reference stream's type-2 entries to any stream; some never check /Type.
    return name(dict.entries.get('Type')) === 'ObjStm' || (dict.entries.has('N') && dict.entries.has('First'));
  }

  /** Where the data starts when the `stream` keyword follows the dictionary ending at `pos`. */
  private streamDataStart(pos: number): number | null {
    const file = this.file;
    // Whitespace and comments, as a reader's lexer skips them. Only one dictionary ends at `pos`, so this stays linear.
    const lexer = new Lexer(file, pos, this.budget);
    lexer.skipSpace();
    let i = lexer.pos;
    if (!file.subarray(i, i + STREAM.length).equals(STREAM)) return null;
    i += STREAM.length;
    if (i < file.length && isRegular(file[i]!)) return null;
    if (file[i] === CR) i += 1;
    if (file[i] === LF) i += 1;
    return i;
  }

  /**
   * The end of stream data: by a direct /Length when `endstream` follows it
   * (after at most a few bytes of whitespace: many dictionaries may claim a
   * length ending in the same long run), else before the next `endstream`,
   * else the end of the file.
   */
  private streamDataEnd(dict: PdfDict, dataStart: number): { end: number; byLength: boolean } {
    const file = this.file;
    const length = number(dict.entries.get('Length'));
    if (length !== null && length >= 0 && dataStart + length <= file.length) {
      let i = dataStart + length;
      const limit = Math.min(file.length, i + MAX_EOL_BEFORE_ENDSTREAM);
      while (i < limit && isWhitespace(file[i]!)) i += 1;
      if (file.subarray(i, i + ENDSTREAM.length).equals(ENDSTREAM)) return { end: dataStart + length, byLength: true };
    }
    const positions = this.endstreamPositions();
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (positions[mid]! < dataStart) lo = mid + 1;
      else hi = mid;
    }
    let end = positions[lo] ?? file.length;
    if (end > dataStart && file[end - 1] === LF) end -= 1;
    if (end > dataStart && file[end - 1] === CR) end -= 1;
    return { end, byLength: false };
  }

  /** Every `endstream` in the file, found once (a search per stream could be quadratic). */
  private endstreamPositions(): number[] {
    if (this.endstreams === null) {
      const positions: number[] = [];
      for (let at = this.file.indexOf(ENDSTREAM); at >= 0; at = this.file.indexOf(ENDSTREAM, at + 1)) positions.push(at);
      this.endstreams = positions;
    }
    return this.endstreams;
  }

  private readObjectStream(dict: PdfDict, objectNumber: number, generation: number, offset: number, dataStart: number): void {
    const where = `object stream ${objectNumber} ${generation} at offset ${offset}`;
    this.objectStreams += 1;
    if (this.objectStreams > this.limits.maxObjectStreams) throw new ScanLimitError(`more than ${this.limits.maxObjectStreams} object streams`);

    const filter = dict.entries.get('Filter');
    const filters = filter === undefined ? [] : filter.kind === 'array' ? filter.items : [filter];
    const names = filters.map(name);
    if (names.length > 1 || names.some((n) => n !== 'FlateDecode')) {
      this.note(`${where} cannot be read: filter ${names.map((n) => (n === null ? '(not a name)' : `/${n}`)).join(' ')} is not supported`);
      return;
    }
    const parms = dict.entries.get('DecodeParms');
    const parmsValue = parms?.kind === 'array' ? parms.items[0] : parms;
    if (parmsValue !== undefined && parmsValue.kind !== 'null') {
      const predictor = parmsValue.kind === 'dict' ? parmsValue.entries.get('Predictor') : undefined;
      const plain = parmsValue.kind === 'dict' && (predictor === undefined || (number(predictor) ?? 2) <= 1);
      if (!plain) {
        this.note(`${where} cannot be read: its /DecodeParms (a predictor) are not supported`);
        return;
      }
    }

    const { end, byLength } = this.streamDataEnd(dict, dataStart);
    if (!byLength) this.note(`${where}: /Length does not match the data; read up to the next endstream`);
    const raw = this.file.subarray(dataStart, end);
    let data: Uint8Array = raw;
    if (names.length === 1) {
      const remaining = this.limits.maxInflatedBytes - this.inflatedBytes;
      if (remaining <= 0) throw new ScanLimitError(`object streams inflate to more than ${this.limits.maxInflatedBytes} bytes`);
      // zlib may read all of its input and produce nothing (empty stored blocks): the input counts against the budget.
      this.budget.chargeBytes(raw.length);
      try {
        // A truncated stream still yields what it has, as a lenient reader would read it.
        data = inflateSync(raw, { maxOutputLength: remaining, finishFlush: zlibConstants.Z_SYNC_FLUSH });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ScanLimitError(`object streams inflate to more than ${this.limits.maxInflatedBytes} bytes`);
        }
        this.note(`${where} cannot be inflated: ${error instanceof Error ? error.message : 'zlib error'}`);
        return;
      }
      this.inflatedBytes += data.length;
    }

    const count = number(dict.entries.get('N'));
    const first = number(dict.entries.get('First'));
    if (count === null || first === null || count < 0 || first < 0 || first > data.length) {
      this.note(`${where} cannot be read: /N or /First is missing or out of range`);
      return;
    }
    const offsets = new Map<number, number>();
    const lexer = new Lexer(data, 0, this.budget, first);
    try {
      for (let k = 0; k < count; k += 1) {
        if (lexer.next() !== 'number' || !lexer.integer) throw new PdfSyntaxError('bad object number in the header', lexer.start);
        const contained = lexer.number;
        if (lexer.next() !== 'number' || !lexer.integer) throw new PdfSyntaxError('bad offset in the header', lexer.start);
        if (!offsets.has(lexer.number)) offsets.set(lexer.number, contained);
      }
    } catch (error) {
      if (!(error instanceof PdfSyntaxError)) throw error;
      this.note(`${where}: header cannot be read (${error.message}); ${offsets.size} of ${count} objects read`);
    }
    for (const [relative, contained] of offsets) {
      const start = first + relative;
      if (relative < 0 || start >= data.length) {
        this.note(`${where}: object ${contained} lies outside the stream`);
        continue;
      }
      try {
        new Parser(new Lexer(data, start, this.budget), this.limits.maxDepth, (dict) => this.found(dict, contained, 0, true)).value();
      } catch (error) {
        if (!(error instanceof PdfSyntaxError)) throw error;
        this.note(`object ${contained} in ${where} cannot be read: ${error.message}`);
      }
    }
  }

  /** Called for every dictionary parsed, nested ones included. */
  private found(dict: PdfDict, objectNumber: number, generation: number, inObjectStream: boolean): void {
    if (isSignatureDict(dict)) this.record(dict, objectNumber, generation, inObjectStream);
  }

  private record(dict: PdfDict, objectNumber: number, generation: number, inObjectStream: boolean): void {
    if (this.signatures.length >= this.limits.maxSignatures) throw new ScanLimitError(`more than ${this.limits.maxSignatures} signature dictionaries`);
    if (dict.duplicateKeys.length > 0) {
      this.note(`signature dictionary in object ${objectNumber} ${generation} has duplicate keys: ${dict.duplicateKeys.map((k) => `/${k}`).join(' ')}`);
    }
    const byteRangeValue = dict.entries.get('ByteRange');
    let byteRange: number[] | null = null;
    if (byteRangeValue?.kind === 'array' && !byteRangeValue.truncated) {
      const numbers = byteRangeValue.items.map(number);
      byteRange = numbers.every((n) => n !== null) ? numbers : null;
    }
    const contentsValue = dict.entries.get('Contents');
    let contents: FoundSignature['contents'] = null;
    let contentsBytes: Uint8Array | null = null;
    if (contentsValue?.kind === 'string') {
      contentsBytes = stringBytes(contentsValue);
      if (contentsValue.hex && !inObjectStream && contentsValue.source === this.file) contents = { start: contentsValue.start, end: contentsValue.end };
    }
    const m = dict.entries.get('M');
    const rawSigningTime = m?.kind === 'string' ? textOf(stringBytes(m)) : null;
    this.signatures.push({
      objectNumber,
      generation,
      inObjectStream,
      byteRange,
      contents,
      contentsBytes,
      subFilter: name(dict.entries.get('SubFilter')),
      filter: name(dict.entries.get('Filter')),
      signingTime: rawSigningTime === null ? null : parsePdfDate(rawSigningTime),
      rawSigningTime,
    });
  }
}

function effectiveLimits(limits: Partial<ScanLimits> | undefined): ScanLimits {
  const merged = { ...DEFAULT_SCAN_LIMITS, ...limits };
  const positive = (value: number, fallback: number): number => (Number.isFinite(value) && value >= 0 ? value : fallback);
  return {
    maxInflatedBytes: positive(merged.maxInflatedBytes, DEFAULT_SCAN_LIMITS.maxInflatedBytes),
    maxObjectStreams: positive(merged.maxObjectStreams, DEFAULT_SCAN_LIMITS.maxObjectStreams),
    maxTokens: positive(merged.maxTokens, DEFAULT_SCAN_LIMITS.maxTokens),
    // Parsing recurses once per level: keep the stack safe whatever the caller asks.
    maxDepth: Math.min(positive(merged.maxDepth, DEFAULT_SCAN_LIMITS.maxDepth), 1000),
    maxSignatures: positive(merged.maxSignatures, DEFAULT_SCAN_LIMITS.maxSignatures),
    maxScannedBytes: positive(merged.maxScannedBytes, DEFAULT_SCAN_LIMITS.maxScannedBytes),
    maxNotes: positive(merged.maxNotes, DEFAULT_SCAN_LIMITS.maxNotes),
  };
}

/**
 * Finds every signature dictionary in an untrusted PDF without a PDF library:
 * in every `N G obj` object of the raw bytes (nested dictionaries included)
 * and in every object of every object stream (FlateDecode or unfiltered).
 * Linear in the input apart from overlapping objects, which the limits bound;
 * never throws.
 */
export function scanPdfSignatures(pdf: Uint8Array, limits?: Partial<ScanLimits>): ScanResult {
  try {
    const file = asBuffer(pdf);
    const header = file.subarray(0, HEADER_WINDOW + PDF_HEADER.length).indexOf(PDF_HEADER);
    if (header < 0 || header >= HEADER_WINDOW) return { ok: false, reason: 'not a PDF: no %PDF- header in the first 1024 bytes' };
    const scan = new Scan(file, effectiveLimits(limits));
    scan.run();
    return { ok: true, signatures: scan.signatures, notes: scan.allNotes() };
  } catch (error) {
    if (error instanceof ScanLimitError) return { ok: false, reason: `limit reached: ${error.message}` };
    return { ok: false, reason: `the PDF cannot be scanned: ${error instanceof Error ? error.message : 'unknown error'}` };
  }
}
