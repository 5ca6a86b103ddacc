import { CR, isDigit, isRegular, isWhitespace, LF } from './lexer.js';

/** `N G obj`: where the header starts and the numbers it gives. */
export interface ObjectHeader {
  readonly objectNumber: number;
  readonly generation: number;
  /** Offset of the object number's first digit. */
  readonly offset: number;
}

/** The `obj` keyword's bytes, to search for. */
export const OBJ_KEYWORD = Buffer.from('obj', 'latin1');

/**
 * The object number and generation before the `obj` keyword at `at`, or
 * null when it is not a header. A cross-reference offset may point into the
 * middle of a digit run, so what precedes the number does not matter.
 * Comments count as whitespace between the tokens; as a '%' may also sit in
 * a string on that line, the header is tried both with and without them.
 */
export function objectHeaderAt(file: Buffer, at: number): ObjectHeader | null {
  const after = file[at + OBJ_KEYWORD.length];
  if (after !== undefined && isRegular(after)) return null;
  return headerBefore(file, at, false) ?? headerBefore(file, at, true);
}

function headerBefore(file: Buffer, at: number, comments: boolean): ObjectHeader | null {
  const genEnd = skipSpaceBack(file, at - 1, comments);
  if (genEnd === at - 1) return null;
  let i = genEnd;
  while (isDigit(file[i])) i -= 1;
  const genStart = i + 1;
  if (genStart > genEnd) return null;
  const numEnd = skipSpaceBack(file, i, comments);
  if (numEnd === i) return null;
  i = numEnd;
  while (isDigit(file[i])) i -= 1;
  if (i + 1 > numEnd) return null;
  // Longer digit runs than any valid number: read from where a reader could have been sent.
  const numStart = Math.max(i + 1, numEnd - 9);
  return {
    objectNumber: Number(file.toString('latin1', numStart, numEnd + 1)),
    generation: Number(file.toString('latin1', Math.max(genStart, genEnd - 9), genEnd + 1)),
    offset: numStart,
  };
}

/** Steps back over whitespace (and, when asked, comments that end a line); returns the index of the byte before them. */
function skipSpaceBack(file: Buffer, from: number, comments: boolean): number {
  let i = from;
  for (;;) {
    let sawEol = false;
    while (i >= 0 && isWhitespace(file[i]!)) {
      if (file[i] === LF || file[i] === CR) sawEol = true;
      i -= 1;
    }
    if (!comments || !sawEol || i < 0) return i;
    let lineStart = i;
    while (lineStart >= 0 && file[lineStart] !== LF && file[lineStart] !== CR) lineStart -= 1;
    // Only this line is searched: a search to the end of the file for every header would be quadratic.
    const percent = file.subarray(lineStart + 1, i + 1).indexOf(0x25);
    if (percent < 0) return i;
    i = lineStart + percent;
  }
}
