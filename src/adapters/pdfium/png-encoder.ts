import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A PNG (8-bit RGB, no interlace) of a `width` × `height` bitmap given as
 * RGBA rows, as PDFium draws them with reversed byte order; alpha is dropped (the face is drawn
 * on white). Each row is filtered with `Up` when that is no worse than none.
 */
export function encodePngFromRgba(rgba: Uint8Array, width: number, height: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || rgba.length < width * height * 4) {
    throw new TypeError('the bitmap does not hold width × height RGBA pixels');
  }
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * stride;
    // Filter Up (2) for every row but the first: a face is mostly flat colour, which Up turns into zeros.
    raw[row] = y === 0 ? 0 : 2;
    for (let x = 0; x < width; x += 1) {
      const from = (y * width + x) * 4;
      const to = row + 1 + x * 3;
      const r = rgba[from]!;
      const g = rgba[from + 1]!;
      const b = rgba[from + 2]!;
      if (y === 0) {
        raw[to] = r;
        raw[to + 1] = g;
        raw[to + 2] = b;
      } else {
        const above = ((y - 1) * width + x) * 4;
        raw[to] = (r - rgba[above]!) & 0xff;
        raw[to + 1] = (g - rgba[above + 1]!) & 0xff;
        raw[to + 2] = (b - rgba[above + 2]!) & 0xff;
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}
