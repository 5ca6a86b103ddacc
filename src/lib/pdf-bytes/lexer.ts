/**
 * The one PDF lexer (ISO 32000-1, 7.2): character classes, tokens (names
 * with `#xx` escapes decoded, numbers, literal and hex strings, keywords,
 * delimiters), whitespace and comments. Every reader in this library (the
 * signature scan, the placeholder locator, the text-entry and cross-reference
 * readers) tokenises through it. It charges every token to a {@link Budget},
 * so the caller bounds the total work however often bytes are read again.
 * Syntax it does not accept raises {@link PdfSyntaxError}; a budget overrun
 * raises {@link ScanLimitError}.
 *
 * The hot loops avoid global lookups (Math.max, String.fromCharCode…): cheap
 * in plain Node, but many times slower inside a vm context such as jest's.
 */

/**
 * The input is malformed here; the object cannot be read. Hostile input may
 * raise one per object, a million times per file: it carries no stack trace,
 * whose capture would cost more than reading the object.
 */
export class PdfSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.offset = offset;
  }
}

/** A work or size limit was reached; the scan as a whole gives up. */
export class ScanLimitError extends Error {}

export interface BudgetLimits {
  readonly maxTokens: number;
  readonly maxScannedBytes: number;
}

/** No bound: for bytes the vault wrote itself, whose size already bounds the work. */
export const UNBOUNDED: BudgetLimits = { maxTokens: Number.POSITIVE_INFINITY, maxScannedBytes: Number.POSITIVE_INFINITY };

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

export type TokenType = 'eof' | 'dict-open' | 'dict-close' | 'array-open' | 'array-close' | 'name' | 'number' | 'string' | 'hex' | 'keyword';

export const CR = 0x0d;
export const LF = 0x0a;

/** Character classes: 1 whitespace, 2 delimiter, 0 regular. */
const CLASS = new Uint8Array(256);
for (const byte of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[byte] = 1;
for (const char of '()<>[]{}/%') CLASS[char.charCodeAt(0)] = 2;

/** Hex digit values, or 255. */
export const HEX = new Uint8Array(256).fill(255);
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

export function isDelimiter(byte: number): boolean {
  return CLASS[byte] === 2;
}

export function isRegular(byte: number): boolean {
  return CLASS[byte] === 0;
}

export function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
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

/** Reads one token at a time from `source[pos, end)`. */
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
