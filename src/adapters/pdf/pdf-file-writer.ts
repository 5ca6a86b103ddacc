/**
 * Writes a PDF file object by object, with a classic cross-reference table,
 * remembering where each object starts: for files assembled from bytes
 * rather than through a PDF library.
 */
export class PdfFileWriter {
  private readonly chunks: Buffer[] = [];
  private readonly offsets = new Map<number, number>();
  private length = 0;

  /** `header`: false for a block of objects to be copied into files later ({@link block}). */
  constructor(header = true) {
    if (header) this.raw(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'));
  }

  /** Where the next byte goes. */
  get position(): number {
    return this.length;
  }

  raw(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** Objects copied as they are: `objects` holds them back to back, each starting where `starts` says. */
  copied(objects: Buffer, starts: ReadonlyMap<number, number>): void {
    for (const [number, start] of starts) this.offsets.set(number, this.length + start);
    this.raw(objects);
  }

  /** `N 0 obj`, the body, `endobj`; returns where the body starts. */
  object(number: number, body: string | Buffer): number {
    this.offsets.set(number, this.length);
    this.raw(Buffer.from(`${number} 0 obj\n`, 'latin1'));
    const start = this.length;
    this.raw(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    this.raw(Buffer.from('\nendobj\n', 'latin1'));
    return start;
  }

  /** A stream object with `dictionary` entries (no `<<`, no /Length) and its (already encoded) data. */
  stream(number: number, dictionary: string, data: Buffer): void {
    this.object(number, Buffer.concat([Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]));
  }

  /** What was written, as a block for {@link copied}: its bytes and where each object starts in them. */
  block(): { readonly bytes: Buffer; readonly offsets: ReadonlyMap<number, number> } {
    return { bytes: Buffer.concat(this.chunks, this.length), offsets: new Map(this.offsets) };
  }

  /** The cross-reference table (one subsection per run of numbers) and the trailer; the file's bytes. */
  finish(root: number, info: number): Buffer {
    const numbers = [...this.offsets.keys()].sort((a, b) => a - b);
    const size = (numbers.at(-1) ?? 0) + 1;
    const xrefAt = this.length;
    const lines = ['xref', '0 1', '0000000000 65535 f '];
    for (let i = 0; i < numbers.length;) {
      let j = i;
      while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] as number) + 1) j += 1;
      lines.push(`${numbers[i]} ${j - i + 1}`);
      for (let k = i; k <= j; k += 1) lines.push(`${String(this.offsets.get(numbers[k] as number)).padStart(10, '0')} 00000 n `);
      i = j + 1;
    }
    this.raw(Buffer.from(`${lines.join('\n')}\ntrailer\n<< /Size ${size} /Root ${root} 0 R /Info ${info} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(this.chunks, this.length);
  }
}

/** A PDF text string that any script survives: UTF-16BE with a byte order mark, as hex. */
export function pdfTextString(text: string): string {
  return `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}
