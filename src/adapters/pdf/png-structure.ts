import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel and the bit depths allowed, by colour type (PNG §11.2.2). */
const COLOUR_TYPES: Readonly<Record<number, { readonly samples: number; readonly depths: readonly number[] }>> = {
  0: { samples: 1, depths: [1, 2, 4, 8, 16] },
  2: { samples: 3, depths: [8, 16] },
  3: { samples: 1, depths: [1, 2, 4, 8] },
  4: { samples: 2, depths: [8, 16] },
  6: { samples: 4, depths: [8, 16] },
};
/** Adam7 passes: first column and row, then the steps between them. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export interface PngHeader {
  readonly width: number;
  readonly height: number;
}

/** Why a PNG was refused, in words. */
export class PngStructureError extends Error {}

/**
 * Checks a PNG the way a strict decoder would, with Node's zlib, before any
 * JavaScript decoder sees it (pdf-lib's UPNG loops for ever on some damaged
 * compressed data): the signature, every chunk's length and CRC, IHDR first
 * with a valid colour type and bit depth, a palette where one is needed,
 * IEND last; then the pixels inflate to exactly the size the header
 * promises (each side at most `maxSide` pixels, so memory stays bounded),
 * and each scanline starts with a known filter.
 * @throws PngStructureError saying what is wrong.
 */
export function checkPngStructure(bytes: Uint8Array, maxSide: number): PngHeader {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < 8 || SIGNATURE.some((byte, i) => view[i] !== byte)) throw new PngStructureError('not a PNG file');
  const idat: Buffer[] = [];
  let header: Buffer | null = null;
  let palette = false;
  let ended = false;
  for (let at = 8; !ended;) {
    if (at + 12 > view.length) throw new PngStructureError('the file ends inside a chunk (no IEND)');
    const length = view.readUInt32BE(at);
    const type = view.toString('latin1', at + 4, at + 8);
    if (length > view.length - at - 12) throw new PngStructureError(`chunk ${type} runs past the end of the file`);
    const data = view.subarray(at + 8, at + 8 + length);
    if (crc32(view.subarray(at + 4, at + 8 + length)) !== view.readUInt32BE(at + 8 + length)) throw new PngStructureError(`chunk ${type} fails its CRC`);
    if ((header === null) !== (type === 'IHDR')) throw new PngStructureError('IHDR must come first, once');
    if (type === 'IHDR') header = data;
    else if (type === 'PLTE') palette = true;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    at += 12 + length;
  }
  if (header === null || header.length !== 13) throw new PngStructureError('IHDR is malformed');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [depth = 0, colourType = -1, compression, filter, interlace] = header.subarray(8);
  if (width === 0 || height === 0 || width > maxSide || height > maxSide) throw new PngStructureError(`${width}×${height} pixels; at most ${maxSide}×${maxSide} are accepted`);
  const colour = COLOUR_TYPES[colourType];
  if (!colour || !colour.depths.includes(depth) || compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
    throw new PngStructureError(`IHDR has an invalid colour type, bit depth, compression, filter or interlace method`);
  }
  if (colourType === 3 && !palette) throw new PngStructureError('an indexed-colour image without a palette (PLTE)');
  if (idat.length === 0) throw new PngStructureError('no image data (IDAT)');

  const passes = (interlace === 1 ? ADAM7 : [[0, 0, 1, 1] as const]).map(([x0, y0, dx, dy]) => ({
    rows: Math.max(0, Math.ceil((height - y0) / dy)),
    rowBytes: 1 + Math.ceil((Math.max(0, Math.ceil((width - x0) / dx)) * colour.samples * depth) / 8),
  }));
  const expected = passes.reduce((sum, pass) => sum + (pass.rowBytes > 1 ? pass.rows * pass.rowBytes : 0), 0);
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (error) {
    throw new PngStructureError(`the compressed pixels are damaged (${error instanceof Error ? error.message : String(error)})`);
  }
  if (pixels.length !== expected) throw new PngStructureError(`the pixels take ${pixels.length} bytes where the header promises ${expected}`);
  let at = 0;
  for (const pass of passes) {
    if (pass.rowBytes === 1) continue;
    for (let row = 0; row < pass.rows; row += 1, at += pass.rowBytes) {
      if ((pixels[at] ?? 0) > 4) throw new PngStructureError(`scanline ${row + 1} has an unknown filter type`);
    }
  }
  return { width, height };
}
