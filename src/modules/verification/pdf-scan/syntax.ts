/**
 * A small PDF lexer and object parser for untrusted bytes (ISO 32000-1, 7.2
 * and 7.3). It reads one object at a time, keeps only the few dictionary
 * entries a signature scan needs (so memory stays small whatever the object),
 * reports every dictionary as it closes, and charges every token to a
 * {@link Budget}, so the caller bounds the total work however objects
 * overlap. Syntax it does not accept raises {@link PdfSyntaxError}; a budget
 * overrun raises {@link ScanLimitError}. It never inflates streams.
 *
 * The hot loops avoid global lookups (Math.max, String.fromCharCode…): cheap
 * in plain Node, but many times slower inside a vm context such as jest's.
 */

/** The input is malformed here; the object cannot be read. */
export class PdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A work or size limit was reached; the scan as a whole gives up. */
export class ScanLimitError extends Error {}

export interface BudgetLimits {
  readonly maxTokens: number;
  readonly maxScannedBytes: number;
}

/** Work done so far, shared by every lexer of one scan. */
export class Budget {
  tokens = 0;
  scannedBytes = 0;

  constructor(private readonly limits: BudgetLimits) {}

  /** One token of `bytes` bytes. */
  charge(bytes: number): void {
    this.tokens += 1;
    if (this.tokens > this.limits.maxTokens) throw new ScanLimitError(`more than ${this.limits.maxTokens} tokens`);
    this.chargeBytes(bytes);
  }

  /** Bytes read: lexed, or compressed data fed to zlib. */
  chargeBytes(bytes: number): void {
    this.scannedBytes += bytes;
    if (this.scannedBytes > this.limits.maxScannedBytes) throw new ScanLimitError(`more than ${this.limits.maxScannedBytes} bytes read`);
  }
}

export interface PdfDict {
  readonly kind: 'dict';
  /**
   * The entries whose keys are in {@link RETAINED_KEYS}; keys are names with
   * `#xx` escapes decoded, without the '/'. The first of duplicate keys wins.
   */
  readonly entries: ReadonlyMap<string, PdfValue>;
  /** Retained keys that occur more than once. */
  readonly duplicateKeys: readonly string[];
  /** Offsets of '<<' and just after '>>' in `source`. */
  readonly start: number;
  readonly end: number;
}

export interface PdfString {
  readonly kind: 'string';
  readonly hex: boolean;
  /** The bytes the string was read from (the file, or an inflated object stream). */
  readonly source: Uint8Array;
  /** Offsets of the opening '(' or '<' and just after the closing delimiter. */
  readonly start: number;
  readonly end: number;
}

export type PdfValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number; readonly integer: boolean }
  | { readonly kind: 'name'; readonly value: string }
  | { readonly kind: 'ref'; readonly objectNumber: number; readonly generation: number }
  /** Items beyond the retention budget are dropped and `truncated` is set. */
  | { readonly kind: 'array'; readonly items: readonly PdfValue[]; readonly truncated: boolean }
  /** A value parsed for its syntax only (not needed, or over the retention budget). */
  | { readonly kind: 'skipped' }
  | PdfString
  | PdfDict;

type TokenType = 'eof' | 'dict-open' | 'dict-close' | 'array-open' | 'array-close' | 'name' | 'number' | 'string' | 'hex' | 'keyword';

const CR = 0x0d;
const LF = 0x0a;

/** Character classes: 1 whitespace, 2 delimiter, 0 regular. */
const CLASS = new Uint8Array(256);
for (const byte of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[byte] = 1;
for (const char of '()<>[]{}/%') CLASS[char.charCodeAt(0)] = 2;

/** Hex digit values, or 255. */
const HEX = new Uint8Array(256).fill(255);
for (let i = 0; i < 10; i += 1) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i += 1) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

/** One-character strings by byte, so the commonest keyword (`R`) costs no allocation or global lookup. */
const ONE_CHAR = Array.from({ length: 256 }, (_, byte) => String.fromCharCode(byte));

export function isWhitespace(byte: number): boolean {
  return CLASS[byte] === 1;
}

export function isRegular(byte: number): boolean {
  return CLASS[byte] === 0;
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `[+-]digits[.digits]` or `[+-].digits`; anything else is a keyword. */
function numericValue(bytes: Uint8Array, buffer: Buffer, start: number, end: number): { value: number; integer: boolean } | null {
  let i = start;
  const negative = bytes[i] === 0x2d;
  if (negative || bytes[i] === 0x2b) i += 1;
  let digits = 0;
  let dot = false;
  let value = 0;
  for (; i < end; i += 1) {
    const byte = bytes[i]!;
    if (byte >= 0x30 && byte <= 0x39) {
      digits += 1;
      value = value * 10 + (byte - 0x30);
    } else if (byte === 0x2e && !dot) dot = true;
    else return null;
  }
  if (digits === 0) return null;
  // Short integers are exact as computed; anything else goes through Number().
  if (dot || digits > 15) {
    value = Number(buffer.toString('latin1', start, end));
    if (!Number.isFinite(value)) return null;
  } else if (negative) value = -value;
  return { value, integer: !dot };
}

export class Lexer {
  pos: number;
  /** The last token: its type, start offset, and decoded name / keyword text or number. */
  type: TokenType = 'eof';
  start = 0;
  text = '';
  number = 0;
  integer = false;
  private readonly buffer: Buffer;
  private chargedTo = 0;

  constructor(
    readonly source: Uint8Array,
    start: number,
    private readonly budget: Budget,
    /** Exclusive end of the bytes this lexer may read. */
    readonly end: number = source.length,
  ) {
    this.pos = start;
    this.buffer = asBuffer(source);
  }

  /** Skips whitespace and comments; returns false at the end. */
  skipSpace(): boolean {
    const src = this.source;
    const end = this.end;
    let i = this.pos;
    while (i < end) {
      const byte = src[i]!;
      if (CLASS[byte] === 1) i += 1;
      else if (byte === 0x25) {
        i += 1;
        while (i < end && src[i] !== LF && src[i] !== CR) i += 1;
      } else break;
    }
    this.pos = i;
    return i < end;
  }

  next(): TokenType {
    const begin = this.pos;
    try {
      this.type = this.read();
      return this.type;
    } finally {
      // Charged on failure too (read() leaves pos where it stopped looking), so an unterminated string costs what it scanned;
      // bytes read again after the parser steps back (reference lookahead) are not charged twice.
      if (this.pos > this.chargedTo) {
        this.budget.charge(this.pos - (begin > this.chargedTo ? begin : this.chargedTo));
        this.chargedTo = this.pos;
      }
    }
  }

  private fail(message: string, offset: number, scannedTo: number): never {
    this.pos = scannedTo;
    throw new PdfSyntaxError(message, offset);
  }

  private read(): TokenType {
    if (!this.skipSpace()) {
      this.start = this.pos;
      return 'eof';
    }
    const src = this.source;
    const end = this.end;
    const start = this.pos;
    this.start = start;
    const byte = src[start]!;
    switch (byte) {
      case 0x3c: {
        if (src[start + 1] === 0x3c) {
          this.pos = start + 2;
          return 'dict-open';
        }
        let i = start + 1;
        while (i < end && (HEX[src[i]!] !== 255 || CLASS[src[i]!] === 1)) i += 1;
        if (i >= end) this.fail('unterminated hex string', start, end);
        if (src[i] !== 0x3e) this.fail('invalid character in hex string', i, i);
        this.pos = i + 1;
        return 'hex';
      }
      case 0x3e:
        if (src[start + 1] === 0x3e) {
          this.pos = start + 2;
          return 'dict-close';
        }
        throw new PdfSyntaxError("unexpected '>'", start);
      case 0x5b:
        this.pos = start + 1;
        return 'array-open';
      case 0x5d:
        this.pos = start + 1;
        return 'array-close';
      case 0x28: {
        let depth = 1;
        let i = start + 1;
        while (i < end) {
          const c = src[i]!;
          if (c === 0x5c) i += 2;
          else {
            if (c === 0x28) depth += 1;
            else if (c === 0x29 && --depth === 0) break;
            i += 1;
          }
        }
        if (depth > 0 || i >= end) this.fail('unterminated literal string', start, end);
        this.pos = i + 1;
        return 'string';
      }
      case 0x29:
        throw new PdfSyntaxError("unexpected ')'", start);
      case 0x7b:
      case 0x7d:
        this.pos = start + 1;
        this.text = ONE_CHAR[byte]!;
        return 'keyword';
      case 0x2f: {
        let i = start + 1;
        while (i < end && CLASS[src[i]!] === 0) i += 1;
        this.pos = i;
        this.text = this.decodeName(start + 1, i);
        return 'name';
      }
      default: {
        let i = start + 1;
        while (i < end && CLASS[src[i]!] === 0) i += 1;
        this.pos = i;
        const numeric = numericValue(src, this.buffer, start, i);
        if (numeric) {
          this.number = numeric.value;
          this.integer = numeric.integer;
          return 'number';
        }
        this.text = i - start === 1 ? ONE_CHAR[byte]! : this.buffer.toString('latin1', start, i);
        return 'keyword';
      }
    }
  }

  /** A name's bytes with `#xx` escapes decoded, as a latin1 string. */
  private decodeName(start: number, end: number): string {
    const src = this.source;
    // A plain loop: Buffer#indexOf would search on past `end`, to the end of the data, for every name.
    let hash = start;
    while (hash < end && src[hash] !== 0x23) hash += 1;
    if (hash === end) return this.buffer.toString('latin1', start, end);
    const out = Buffer.allocUnsafe(end - start);
    let n = 0;
    for (let i = start; i < end; i += 1) {
      const byte = src[i]!;
      if (byte === 0x23 && i + 2 < end && HEX[src[i + 1]!] !== 255 && HEX[src[i + 2]!] !== 255) {
        out[n++] = HEX[src[i + 1]!]! * 16 + HEX[src[i + 2]!]!;
        i += 2;
      } else out[n++] = byte;
    }
    return out.toString('latin1', 0, n);
  }
}

/**
 * Dictionary keys whose values a scan needs (signature and object-stream
 * dictionaries). Every other value is parsed for its syntax and dropped, so a
 * huge object never becomes a huge tree.
 */
export const RETAINED_KEYS: ReadonlySet<string> = new Set(['Type', 'ByteRange', 'Contents', 'SubFilter', 'Filter', 'M', 'N', 'First', 'Length', 'DecodeParms', 'Predictor']);

/** Containers and their items kept per object, on top of each dictionary's own (at most 11) entries. */
export const MAX_RETAINED_VALUES = 4096;

const SKIPPED: PdfValue = { kind: 'skipped' };

function isContainer(type: TokenType): boolean {
  return type === 'dict-open' || type === 'array-open';
}

export class Parser {
  private retained = 0;

  constructor(
    readonly lexer: Lexer,
    private readonly maxDepth: number,
    /** Called for every dictionary as it closes, innermost first, with its retained entries. */
    private readonly onDict: (dict: PdfDict) => void = () => undefined,
  ) {}

  /** Reads one complete value at the lexer's position. */
  value(): PdfValue {
    this.retained = 0;
    return this.valueFrom(this.lexer.next(), 0, true);
  }

  private keepContainer(): boolean {
    return this.retained < MAX_RETAINED_VALUES;
  }

  private valueFrom(type: TokenType, depth: number, keep: boolean): PdfValue {
    const lexer = this.lexer;
    switch (type) {
      case 'dict-open': {
        this.enter(depth);
        const start = lexer.start;
        const entries = new Map<string, PdfValue>();
        const duplicates = new Set<string>();
        for (;;) {
          const keyType = lexer.next();
          if (keyType === 'dict-close') break;
          if (keyType !== 'name') throw new PdfSyntaxError(keyType === 'eof' ? 'unterminated dictionary' : 'dictionary key is not a name', lexer.start);
          const key = lexer.text;
          const valueType = lexer.next();
          if (valueType === 'dict-close') throw new PdfSyntaxError(`dictionary key /${key} has no value`, lexer.start);
          const wanted = RETAINED_KEYS.has(key);
          // A wanted key's simple value is always kept (O(1) per open dictionary); a container only while the budget lasts.
          const value = this.valueFrom(valueType, depth + 1, wanted && (!isContainer(valueType) || this.keepContainer()));
          if (!wanted) continue;
          if (entries.has(key)) duplicates.add(key);
          else entries.set(key, value);
        }
        const dict: PdfDict = { kind: 'dict', entries, duplicateKeys: [...duplicates], start, end: lexer.pos };
        this.onDict(dict);
        if (!keep) return SKIPPED;
        this.retained += 1;
        return dict;
      }
      case 'array-open': {
        this.enter(depth);
        const items: PdfValue[] = [];
        let truncated = false;
        for (;;) {
          const itemType = lexer.next();
          if (itemType === 'array-close') break;
          if (itemType === 'eof') throw new PdfSyntaxError('unterminated array', lexer.start);
          const keepItem = keep && this.keepContainer();
          const item = this.valueFrom(itemType, depth + 1, keepItem);
          if (keepItem) {
            items.push(item);
            this.retained += 1;
          } else truncated = true;
        }
        if (!keep) return SKIPPED;
        this.retained += 1;
        return { kind: 'array', items, truncated };
      }
      case 'number': {
        const value = lexer.number;
        const integer = lexer.integer;
        if (integer && value >= 0) {
          // `N G R` is one value: look ahead two tokens, and step back if it is not a reference.
          const back = lexer.pos;
          try {
            if (lexer.next() === 'number' && lexer.integer && lexer.number >= 0) {
              const generation = lexer.number;
              if (lexer.next() === 'keyword' && lexer.text === 'R') return keep ? { kind: 'ref', objectNumber: value, generation } : SKIPPED;
            }
          } catch (error) {
            // Whatever follows is read (and reported) as its own value.
            if (!(error instanceof PdfSyntaxError)) throw error;
          }
          lexer.pos = back;
        }
        return keep ? { kind: 'number', value, integer } : SKIPPED;
      }
      case 'string':
      case 'hex':
        return keep ? { kind: 'string', hex: type === 'hex', source: lexer.source, start: lexer.start, end: lexer.pos } : SKIPPED;
      case 'name':
        return keep ? { kind: 'name', value: lexer.text } : SKIPPED;
      case 'keyword':
        if (lexer.text === 'true' || lexer.text === 'false') return keep ? { kind: 'bool', value: lexer.text === 'true' } : SKIPPED;
        if (lexer.text === 'null') return keep ? { kind: 'null' } : SKIPPED;
        throw new PdfSyntaxError(`unexpected keyword '${lexer.text.slice(0, 20)}'`, lexer.start);
      case 'eof':
        throw new PdfSyntaxError('unexpected end of data', lexer.start);
      case 'dict-close':
      case 'array-close':
        throw new PdfSyntaxError(`unexpected '${type === 'dict-close' ? '>>' : ']'}'`, lexer.start);
    }
  }

  private enter(depth: number): void {
    if (depth >= this.maxDepth) throw new ScanLimitError(`objects nested deeper than ${this.maxDepth} levels (offset ${this.lexer.start})`);
  }
}

/** The bytes a string value stands for: hex digits paired (an odd last digit is padded with 0), or a literal string's escapes resolved. */
export function stringBytes(value: PdfString): Uint8Array {
  const src = value.source;
  const last = value.end - 1;
  if (value.hex) {
    // Fast path, natively: an even run of hex digits and nothing else (Node's decoder stops at the first non-hex pair).
    const digits = last - value.start - 1;
    if (digits % 2 === 0) {
      const decoded = Buffer.from(Buffer.from(src.buffer, src.byteOffset + value.start + 1, digits).toString('latin1'), 'hex');
      if (decoded.length * 2 === digits) return decoded;
    }
    const out = new Uint8Array(Math.ceil(digits / 2));
    let n = 0;
    let high = -1;
    for (let i = value.start + 1; i < last; i += 1) {
      const digit = HEX[src[i]!]!;
      if (digit === 255) continue;
      if (high < 0) high = digit;
      else {
        out[n++] = high * 16 + digit;
        high = -1;
      }
    }
    if (high >= 0) out[n++] = high * 16;
    return out.subarray(0, n);
  }
  const out = new Uint8Array(last - value.start - 1);
  let n = 0;
  for (let i = value.start + 1; i < last; i += 1) {
    const byte = src[i]!;
    if (byte === CR) {
      // An end of line inside a literal string is a single LF, whatever it was written as.
      out[n++] = LF;
      if (src[i + 1] === LF) i += 1;
    } else if (byte !== 0x5c) out[n++] = byte;
    else {
      i += 1;
      const escaped = src[i]!;
      switch (escaped) {
        case 0x6e:
          out[n++] = LF;
          break;
        case 0x72:
          out[n++] = CR;
          break;
        case 0x74:
          out[n++] = 0x09;
          break;
        case 0x62:
          out[n++] = 0x08;
          break;
        case 0x66:
          out[n++] = 0x0c;
          break;
        case CR:
          if (src[i + 1] === LF) i += 1;
          break;
        case LF:
          break;
        default:
          if (escaped >= 0x30 && escaped <= 0x37) {
            let code = escaped - 0x30;
            for (let k = 0; k < 2 && i + 1 < last && src[i + 1]! >= 0x30 && src[i + 1]! <= 0x37; k += 1) {
              i += 1;
              code = code * 8 + (src[i]! - 0x30);
            }
            out[n++] = code & 0xff;
          } else out[n++] = escaped;
      }
    }
  }
  return out.subarray(0, n);
}

/** A text string's characters: UTF-16BE after a BOM, UTF-8 after its BOM (PDF 2.0), else byte by byte (PDFDocEncoding's ASCII range). */
export function textOf(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return asBuffer(bytes).toString('utf8', 3);
  return asBuffer(bytes).toString('latin1');
}
