import { asBuffer, Budget, isDigit, Lexer, PdfSyntaxError, UNBOUNDED } from './lexer.js';

const STARTXREF = Buffer.from('startxref', 'latin1');
/** `startxref` sits in the last bytes of a file (ISO 32000-1, 7.5.5). */
const TRAILER_WINDOW = 1024;
/** Every entry of a classic table is 20 bytes: `nnnnnnnnnn ggggg n` and a two-byte end of line. */
const ENTRY_BYTES = 20;

/** The offset an entry `nnnnnnnnnn ggggg n` gives for an object in use, or null. */
function inUseOffset(file: Buffer, entry: number): number | null {
  if (entry + 18 > file.length || file[entry + 10] !== 0x20 || file[entry + 16] !== 0x20 || file[entry + 17] !== 0x6e) return null;
  for (let i = 0; i < 16; i += 1) if (i !== 10 && !isDigit(file[entry + i])) return null;
  return Number(file.toString('latin1', entry, entry + 10));
}

/**
 * Where the file's last classic cross-reference table (the one `startxref`
 * points at) says object `objectNumber` starts, or null when that table does
 * not list it as in use or cannot be read. Neither cross-reference streams nor
 * earlier sections (/Prev) are followed: this reads files written in one piece,
 * such as a renderer's own output, not arbitrary uploads.
 */
export function crossReferenceOffset(pdf: Uint8Array, objectNumber: number): number | null {
  const file = asBuffer(pdf);
  const at = file.lastIndexOf(STARTXREF);
  if (at < 0 || at < file.length - TRAILER_WINDOW) return null;
  // The file's own size bounds the work: each token is read once, each subsection is skipped in one step.
  const budget = new Budget(UNBOUNDED);
  try {
    const trailer = new Lexer(file, at + STARTXREF.length, budget);
    if (trailer.next() !== 'number' || !trailer.integer || trailer.number >= file.length) return null;
    const table = new Lexer(file, trailer.number, budget);
    if (table.next() !== 'keyword' || table.text !== 'xref') return null;
    for (;;) {
      if (table.next() !== 'number' || !table.integer) return null;
      const first = table.number;
      if (table.next() !== 'number' || !table.integer || table.number < 0) return null;
      const count = table.number;
      table.skipSpace();
      if (objectNumber >= first && objectNumber < first + count) return inUseOffset(file, table.pos + (objectNumber - first) * ENTRY_BYTES);
      table.pos += count * ENTRY_BYTES;
      if (table.pos > file.length) return null;
    }
  } catch (error) {
    if (error instanceof PdfSyntaxError) return null;
    throw error;
  }
}

/**
 * Every object the file's last classic cross-reference table lists as in use,
 * with its offset; null when that table cannot be read. Like
 * {@link crossReferenceOffset}, for files written in one piece (the vault's own).
 */
export function crossReferenceTable(pdf: Uint8Array): ReadonlyMap<number, number> | null {
  const file = asBuffer(pdf);
  const at = file.lastIndexOf(STARTXREF);
  if (at < 0 || at < file.length - TRAILER_WINDOW) return null;
  const budget = new Budget(UNBOUNDED);
  const offsets = new Map<number, number>();
  try {
    const trailer = new Lexer(file, at + STARTXREF.length, budget);
    if (trailer.next() !== 'number' || !trailer.integer || trailer.number >= file.length) return null;
    const table = new Lexer(file, trailer.number, budget);
    if (table.next() !== 'keyword' || table.text !== 'xref') return null;
    for (;;) {
      const type = table.next();
      if (type === 'keyword' && (table.text as string) === 'trailer') return offsets;
      if (type !== 'number' || !table.integer) return null;
      const first = table.number;
      if (table.next() !== 'number' || !table.integer || table.number < 0) return null;
      const count = table.number;
      table.skipSpace();
      if (table.pos + count * ENTRY_BYTES > file.length) return null;
      for (let i = 0; i < count; i += 1) {
        const offset = inUseOffset(file, table.pos + i * ENTRY_BYTES);
        if (offset !== null) offsets.set(first + i, offset);
      }
      table.pos += count * ENTRY_BYTES;
    }
  } catch (error) {
    if (error instanceof PdfSyntaxError) return null;
    throw error;
  }
}
