import { asBuffer, Budget, isRegular, Lexer, PdfSyntaxError, UNBOUNDED } from './lexer.js';
import { stringBytes, textOf } from './strings.js';

/** How far after its key an entry's string must end: no text entry a reader looks up this way is longer. */
const MAX_ENTRY_BYTES = 1024;
/** Occurrences of the key tried, from the last: a file has one per revision, a hostile one may have a million. */
const MAX_CANDIDATES = 100;

/**
 * The text of the last `/key` entry in the raw bytes whose value is a string
 * (literal or hex; UTF-16BE, UTF-8 or PDFDocEncoding text), or null. The last
 * one wins, as in an incremental update. A byte search finds each candidate,
 * from the end backwards; the lexer reads the name (it must be exactly `/key`)
 * and the token after it. Only the last 100 occurrences are tried, each read
 * no further than the next one, so the work stays small whatever the file.
 * Entries inside compressed object streams are not seen.
 *
 * @throws TypeError when `key` is not a plain name (regular ASCII characters, no `#`).
 */
export function lastTextEntry(pdf: Uint8Array, key: string): string | null {
  const needle = Buffer.from(`/${key}`, 'latin1');
  if (key.length === 0 || needle.length !== key.length + 1 || !needle.subarray(1).every((byte) => byte < 0x80 && byte !== 0x23 && isRegular(byte))) {
    throw new TypeError(`not a plain PDF name: ${key}`);
  }
  const file = asBuffer(pdf);
  let nextCandidate = file.length;
  let tried = 0;
  for (let at = file.lastIndexOf(needle); at >= 0 && tried < MAX_CANDIDATES; at = at > 0 ? file.lastIndexOf(needle, at - 1) : -1, tried += 1) {
    const lexer = new Lexer(file, at, new Budget(UNBOUNDED), Math.min(nextCandidate, at + needle.length + MAX_ENTRY_BYTES));
    nextCandidate = at;
    try {
      if (lexer.next() !== 'name' || lexer.text !== key) continue;
      const type = lexer.next();
      if (type === 'string' || type === 'hex') return textOf(stringBytes({ kind: 'string', hex: type === 'hex', source: file, start: lexer.start, end: lexer.pos }));
    } catch (error) {
      if (!(error instanceof PdfSyntaxError)) throw error;
    }
  }
  return null;
}
