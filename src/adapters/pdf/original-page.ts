import { inflateSync, deflateSync } from 'node:zlib';
import { crossReferenceTable } from '../../lib/pdf-bytes/index.js';
import { TemplateError } from '../../shared/errors.js';

/**
 * The first page of a license PDF the vault itself wrote (pdf-lib output:
 * classic cross-reference table, every object at top level, direct stream
 * lengths), taken apart so that a new file can show it unchanged: the
 * objects its resources reach, byte for byte under their own numbers, and
 * its content as the body of a Form XObject. Nothing else of the original
 * comes along: not its catalog, form, signature or document information.
 *
 * Read with plain byte searches, which is sound only for the vault's own
 * files: never call it on an upload.
 */
export interface OriginalPage {
  /** The page's MediaBox: x0, y0, x1, y1. */
  readonly mediaBox: readonly [number, number, number, number];
  /** The objects the page's resources reach, each `N G obj … endobj`, concatenated. */
  readonly objects: Buffer;
  /** Where each of those objects starts inside `objects`. */
  readonly offsets: ReadonlyMap<number, number>;
  /** The page as a Form XObject (dictionary and deflated content), to be written as one new object. */
  readonly form: Buffer;
  /** The first object number free for new objects. */
  readonly nextObjectNumber: number;
}

const REFERENCE = /(\d+)\s+(\d+)\s+R\b/g;

function unreadable(why: string): TemplateError {
  return new TemplateError('ERR_RENDER_FAILED', `the original license file cannot be read for a copy: ${why}`);
}

interface RawObject {
  readonly start: number;
  readonly end: number;
  /** The dictionary text (or the whole value of an object that is not a stream). */
  readonly head: string;
  /** A stream's data, else null. */
  readonly data: Buffer | null;
}

function objectAt(file: Buffer, number: number, offset: number): RawObject {
  const header = `${number} 0 obj`;
  if (file.toString('latin1', offset, offset + header.length) !== header) throw unreadable(`object ${number} is not where the table says`);
  const endobj = file.indexOf('endobj', offset, 'latin1');
  if (endobj < 0) throw unreadable(`object ${number} does not end`);
  const stream = file.indexOf('stream', offset, 'latin1');
  if (stream < 0 || stream > endobj) return { start: offset, end: endobj + 6, head: file.toString('latin1', offset + header.length, endobj), data: null };
  const head = file.toString('latin1', offset + header.length, stream);
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(head);
  if (!length) throw unreadable(`stream ${number} has no direct length`);
  let dataStart = stream + 6;
  if (file[dataStart] === 0x0d) dataStart += 1;
  if (file[dataStart] === 0x0a) dataStart += 1;
  const dataEnd = dataStart + Number(length[1]);
  const end = file.indexOf('endobj', dataEnd, 'latin1');
  if (end < 0) throw unreadable(`stream ${number} does not end`);
  return { start: offset, end: end + 6, head, data: file.subarray(dataStart, dataEnd) };
}

/** The balanced `<< … >>` starting at `from` in `text`. */
function dictionaryFrom(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length - 1; i += 1) {
    if (text[i] === '<' && text[i + 1] === '<') {
      depth += 1;
      i += 1;
    } else if (text[i] === '>' && text[i + 1] === '>') {
      depth -= 1;
      i += 1;
      if (depth === 0) return text.slice(from, i + 1);
    }
  }
  throw unreadable('a dictionary does not end');
}

function referenceAfter(head: string, key: string): number | null {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(head);
  return match ? Number(match[1]) : null;
}

function references(text: string): number[] {
  return Array.from(text.matchAll(REFERENCE), (match) => Number(match[1]));
}

/** Takes the original's first page apart; see {@link OriginalPage}. @throws TemplateError ERR_RENDER_FAILED */
export function extractOriginalPage(pdf: Uint8Array): OriginalPage {
  const file = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const table = crossReferenceTable(file);
  if (!table) throw unreadable('no classic cross-reference table');
  const read = (number: number): RawObject => {
    const offset = table.get(number);
    if (offset === undefined) throw unreadable(`object ${number} is not in the table`);
    return objectAt(file, number, offset);
  };
  const tail = file.toString('latin1', Math.max(0, file.length - 1024));
  const trailerAt = tail.lastIndexOf('trailer');
  const root = trailerAt < 0 ? null : referenceAfter(tail.slice(trailerAt), 'Root');
  if (root === null) throw unreadable('no /Root in the trailer');
  let node = read(referenceAfter(read(root).head, 'Pages') ?? -1);
  for (let depth = 0; /\/Type\s*\/Pages\b/.test(node.head); depth += 1) {
    const kid = /\/Kids\s*\[\s*(\d+)\s+\d+\s+R/.exec(node.head);
    if (!kid || depth > 8) throw unreadable('the page tree has no first page');
    node = read(Number(kid[1]));
  }
  const page = node.head;
  const box = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(page);
  if (!box) throw unreadable('the page has no MediaBox of its own');
  const mediaBox = [Number(box[1]), Number(box[2]), Number(box[3]), Number(box[4])] as const;

  const resourcesAt = page.indexOf('/Resources');
  if (resourcesAt < 0) throw unreadable('the page has no resources');
  const afterKey = page.slice(resourcesAt + '/Resources'.length).trimStart();
  const resources = afterKey.startsWith('<<') ? dictionaryFrom(afterKey, 0) : (/^(\d+\s+\d+\s+R)/.exec(afterKey)?.[1] ?? null);
  if (resources === null) throw unreadable('the page resources are neither a dictionary nor a reference');

  const contentsMatch = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(page);
  if (!contentsMatch?.[1]) throw unreadable('the page has no contents');
  const contents = references(contentsMatch[1]).map(read);

  // Everything the resources reach, by reference, through dictionaries only (stream data is never searched).
  const reached = new Set<number>();
  const pending = references(resources);
  while (pending.length > 0) {
    const number = pending.pop() as number;
    if (reached.has(number)) continue;
    reached.add(number);
    pending.push(...references(read(number).head));
  }
  const numbers = [...reached].sort((a, b) => a - b);
  const offsets = new Map<number, number>();
  const chunks: Buffer[] = [];
  let at = 0;
  for (const number of numbers) {
    const object = read(number);
    offsets.set(number, at);
    const bytes = file.subarray(object.start, object.end);
    chunks.push(bytes, Buffer.from('\n', 'latin1'));
    at += bytes.length + 1;
  }

  const flate = (object: RawObject) => /\/Filter\s*\/FlateDecode\b/.test(object.head) && !/\/DecodeParms/.test(object.head);
  const single = contents.length === 1 && contents[0] && flate(contents[0]) ? contents[0].data : null;
  const content =
    single ??
    deflateSync(
      Buffer.concat(
        contents.flatMap((object) => {
          if (!object.data) throw unreadable('a content stream has no data');
          if (/\/Filter/.test(object.head) && !flate(object)) throw unreadable('a content stream has a filter other than FlateDecode');
          return [flate(object) ? inflateSync(object.data) : object.data, Buffer.from('\n', 'latin1')];
        }),
      ),
    );
  if (!content) throw unreadable('the page content has no data');
  const form = Buffer.concat([
    Buffer.from(`<< /Type /XObject /Subtype /Form /BBox [${mediaBox.join(' ')}] /Resources ${resources} /Filter /FlateDecode /Length ${content.length} >>\nstream\n`, 'latin1'),
    content,
    Buffer.from('\nendstream', 'latin1'),
  ]);
  return { mediaBox, objects: Buffer.concat(chunks), offsets, form, nextObjectNumber: Math.max(...table.keys()) + 1 };
}
