import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** An RGB raster of a PDF page rendered by poppler's pdftoppm. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly rgb: Uint8Array;
  readonly png: Buffer;
}

/** Renders page 1 with pdftoppm, as PPM (to count pixels) and PNG (for zbarimg and for people). */
export function rasterize(pdf: Uint8Array, dpi: number): Raster {
  const dir = mkdtempSync(join(tmpdir(), 'vault-raster-'));
  try {
    writeFileSync(join(dir, 'page.pdf'), pdf);
    for (const format of [[], ['-png']]) {
      const result = spawnSync('pdftoppm', [...format, '-r', String(dpi), '-f', '1', '-l', '1', join(dir, 'page.pdf'), join(dir, 'page')]);
      if (result.status !== 0) throw new Error(`pdftoppm failed: ${result.stderr.toString()}`);
    }
    const files = readdirSync(dir);
    const ppm = readFileSync(join(dir, files.find((f) => f.endsWith('.ppm')) ?? ''));
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
    if (!header) throw new Error('not a binary PPM');
    const [whole, width, height] = header;
    return { width: Number(width), height: Number(height), dpi, rgb: ppm.subarray(whole.length), png: readFileSync(join(dir, files.find((f) => f.endsWith('.png')) ?? '')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Share of pixels in the box (PDF points from the bottom-left) matching `test`. */
export function shareOfPixels(
  raster: Raster,
  pageHeightPt: number,
  box: { x: number; y: number; width: number; height: number },
  test: (r: number, g: number, b: number) => boolean,
): number {
  const scale = raster.dpi / 72;
  const left = Math.max(0, Math.floor(box.x * scale));
  const right = Math.min(raster.width, Math.ceil((box.x + box.width) * scale));
  const top = Math.max(0, Math.floor((pageHeightPt - box.y - box.height) * scale));
  const bottom = Math.min(raster.height, Math.ceil((pageHeightPt - box.y) * scale));
  let matching = 0;
  let total = 0;
  for (let row = top; row < bottom; row += 1) {
    for (let column = left; column < right; column += 1) {
      const i = (row * raster.width + column) * 3;
      total += 1;
      if (test(raster.rgb[i] ?? 0, raster.rgb[i + 1] ?? 0, raster.rgb[i + 2] ?? 0)) matching += 1;
    }
  }
  return total === 0 ? 0 : matching / total;
}

export const isRed = (r: number, g: number, b: number): boolean => r > 170 && g < 110 && b < 110;
export const isInked = (r: number, g: number, b: number): boolean => r + g + b < 600;
/** A seal colour no template or drawn seal uses, to tell a configured seal image on the page. */
export const SEAL_BLUE = [20, 60, 220] as const;
export const isBlue = (r: number, g: number, b: number): boolean => b > 170 && r < 90 && g < 130;

function tool(command: string, args: readonly string[], input: Uint8Array, extension: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vault-tool-'));
  try {
    const file = join(dir, `input.${extension}`);
    writeFileSync(file, input);
    const result = spawnSync(command, [...args, file, ...(command === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
    if (result.status !== 0 && command !== 'zbarimg') throw new Error(`${command} failed: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const pdftotext = (pdf: Uint8Array): string => tool('pdftotext', ['-enc', 'UTF-8'], pdf, 'pdf');
export const pdffonts = (pdf: Uint8Array): string => tool('pdffonts', [], pdf, 'pdf');
export const pdfinfo = (pdf: Uint8Array): string => tool('pdfinfo', ['-custom', '-enc', 'UTF-8'], pdf, 'pdf');
/** Every symbol zbarimg decodes from a PNG, as `QR-Code:…` lines. */
export const zbarimg = (png: Uint8Array): string[] => tool('zbarimg', ['-q', '--raw', '-Sqrcode.enable'], png, 'png').split('\n').filter(Boolean);

/** A solid-colour RGB PNG, encoded here so tests need no image library. */
export function solidPng(width: number, height: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  return pngOf(width, height, 2, Buffer.concat(Array.from({ length: height }, () => row)));
}

/** A PNG of 8-bit `colourType` (2 RGB, 6 RGBA) from its filtered scanlines (each row a 0 filter byte, then the pixels). */
function pngOf(width: number, height: number, colourType: 2 | 6, scanlines: Buffer): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, colourType, 0, 0, 0], 8);
  const pixels = deflateSync(scanlines);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * An RGBA PNG: an ellipse of `colour` filling the image, transparent around
 * it (a disc when square), like a seal scanned onto a transparent background.
 */
export function discPng(width: number, height: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const rows = Array.from({ length: height }, (_, y) => {
    const row = Buffer.alloc(1 + width * 4);
    for (let x = 0; x < width; x += 1) {
      const dx = (x + 0.5 - width / 2) / (width / 2);
      const dy = (y + 0.5 - height / 2) / (height / 2);
      if (dx * dx + dy * dy <= 1) row.set([r, g, b, 255], 1 + x * 4);
    }
    return row;
  });
  return pngOf(width, height, 6, Buffer.concat(rows));
}

/** A copy of `png` with the data of its first `type` chunk changed in place by `change`, and that chunk's CRC made right again. */
export function rechunk(png: Buffer, type: string, change: (data: Buffer) => unknown): Buffer {
  const copy = Buffer.from(png);
  for (let at = 8; at < copy.length; at += 12 + copy.readUInt32BE(at)) {
    if (copy.toString('latin1', at + 4, at + 8) !== type) continue;
    const length = copy.readUInt32BE(at);
    change(copy.subarray(at + 8, at + 8 + length));
    copy.writeUInt32BE(crc32(copy.subarray(at + 4, at + 8 + length)), at + 8 + length);
    return copy;
  }
  throw new Error(`no ${type} chunk`);
}
