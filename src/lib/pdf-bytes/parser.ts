/**
 * A PDF object parser for untrusted bytes (ISO 32000-1, 7.3) on top of the
 * lexer. It reads one object at a time, keeps only the few dictionary entries
 * a caller needs (so memory stays small whatever the object), and reports
 * every dictionary as it closes. It never inflates streams.
 */
import { PdfSyntaxError, ScanLimitError, type Lexer, type TokenType } from './lexer.js';

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
  /** Items beyond the retention budget are dropped and `truncated` is set; `start` and `end` are the offsets of '[' and just after ']'. */
  | { readonly kind: 'array'; readonly items: readonly PdfValue[]; readonly truncated: boolean; readonly start: number; readonly end: number }
  /** A value parsed for its syntax only (not needed, or over the retention budget). */
  | { readonly kind: 'skipped' }
  | PdfString
  | PdfDict;

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
        const start = lexer.start;
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
        return { kind: 'array', items, truncated, start, end: lexer.pos };
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
