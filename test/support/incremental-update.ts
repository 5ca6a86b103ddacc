/**
 * Incremental updates (ISO 32000-1, 7.5.6) appended to a saved PDF with a
 * classic xref table, the way an editor saves changes after signing: new or
 * replaced objects, their own xref section and a trailer pointing back with
 * /Prev. The original bytes, and so the original signature, stay intact.
 */

/** One object of an update: its number and the bytes between `N 0 obj` and `endobj`. */
export interface UpdatedObject {
  readonly number: number;
  readonly body: string | Uint8Array;
}

export interface UpdateOptions {
  /** The trailer's /Prev; by default the file's last `startxref`. Given this update's own xref offset. */
  readonly prev?: (ownXrefOffset: number, previousXref: number) => number;
  /** A new /Info object number; by default the file's current one. */
  readonly info?: number;
}

function latin1(pdf: Uint8Array): string {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
}

function lastMatch(text: string, pattern: RegExp): string | undefined {
  return [...text.matchAll(pattern)].at(-1)?.[1];
}

/** The trailer entries of the file's last update. */
export function trailerOf(pdf: Uint8Array): { size: number; root: string; info: string | undefined; startxref: number } {
  const text = latin1(pdf);
  const startxref = Number(lastMatch(text, /startxref\s+(\d+)/g));
  const root = lastMatch(text, /\/Root\s+(\d+\s+\d+\s+R)/g);
  const size = Number(lastMatch(text, /\/Size\s+(\d+)/g));
  if (!root || !Number.isInteger(size) || !Number.isInteger(startxref)) throw new Error('not a PDF with a classic trailer');
  return { size, root, info: lastMatch(text, /\/Info\s+(\d+\s+\d+\s+R)/g), startxref };
}

/** The body of the last definition of object `number` (generation 0), as text. */
export function objectBody(pdf: Uint8Array, number: number): string {
  const body = lastMatch(latin1(pdf), new RegExp(`(?:^|\\s)${number} 0 obj\\s*([\\s\\S]*?)\\s*endobj`, 'g'));
  if (body === undefined) throw new Error(`no object ${number} in this PDF`);
  return body;
}

/** Number of the first object whose dictionary has `/Type /{type}` (exactly, so Page is not Pages). */
export function objectNumberOfType(pdf: Uint8Array, type: string): number {
  const found = new RegExp(`(\\d+) 0 obj\\s*<<(?:(?!endobj)[\\s\\S])*?/Type\\s*/${type}(?![A-Za-z])`).exec(latin1(pdf));
  if (!found?.[1]) throw new Error(`no /Type /${type} object in this PDF`);
  return Number(found[1]);
}

/** Appends one incremental update holding `objects`. */
export function appendUpdate(pdf: Uint8Array, objects: readonly UpdatedObject[], options: UpdateOptions = {}): Buffer {
  const trailer = trailerOf(pdf);
  const parts: Buffer[] = [Buffer.from(pdf), Buffer.from('\n', 'latin1')];
  let offset = pdf.length + 1;
  const entries: string[] = [];
  for (const object of objects) {
    const body = typeof object.body === 'string' ? Buffer.from(object.body, 'latin1') : Buffer.from(object.body);
    const framed = Buffer.concat([Buffer.from(`${object.number} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    entries.push(`${object.number} 1\n${String(offset).padStart(10, '0')} 00000 n \n`);
    parts.push(framed);
    offset += framed.length;
  }
  const size = Math.max(trailer.size, ...objects.map((o) => o.number + 1));
  const prev = options.prev ? options.prev(offset, trailer.startxref) : trailer.startxref;
  const infoRef = options.info !== undefined ? `${options.info} 0 R` : trailer.info;
  const info = infoRef ? ` /Info ${infoRef}` : '';
  parts.push(Buffer.from(`xref\n${entries.join('')}trailer\n<< /Size ${size} /Root ${trailer.root}${info} /Prev ${prev} >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** A new Info dictionary only: the smallest change an editor saves. */
export function appendIncrementalUpdate(pdf: Uint8Array): Buffer {
  const number = trailerOf(pdf).size;
  return appendUpdate(pdf, [{ number, body: '<< /Producer (edited after signing) >>' }], { info: number });
}
