import { deflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { TemplateError } from '../../shared/errors.js';

/** One glyph as a Type 3 glyph procedure: its advance and its outline as PDF path operators, deflated once. */
export interface OutlineGlyph {
  readonly codePoint: number;
  /** Advance width in glyph space (1000 units to the em). */
  readonly width: number;
  /** The deflated glyph procedure (`wx 0 llx lly urx ury d1`, the outline, `f`). */
  readonly procedure: Buffer;
}

/** Whole glyph units (a thousandth of an em): finer is invisible at any size a band is set in, and compresses worse. */
const round = (n: number) => Math.round(n);

/**
 * A CJK face whose glyphs are set as Type 3 glyph procedures: each glyph's
 * outline becomes PDF path operators the first time it is asked for and is
 * kept (deflated) for the life of the process, so a document costs no font
 * parsing or subsetting, only the procedures of the characters it shows.
 * The font file is parsed once, here.
 */
export class OutlineFont {
  private readonly font: fontkit.Font;
  private readonly glyphs = new Map<number, OutlineGlyph>();
  /** Glyph space to text space: the face's units per em mapped to 1000. */
  private readonly scale: number;
  readonly bbox: readonly [number, number, number, number];

  constructor(bytes: Uint8Array) {
    const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!('glyphForCodePoint' in font)) throw new TypeError('a font collection is not a single face');
    this.font = font;
    this.scale = 1000 / font.unitsPerEm;
    const { minX, minY, maxX, maxY } = font.bbox;
    this.bbox = [minX, minY, maxX, maxY].map((n) => Math.round(n * this.scale)) as unknown as readonly [number, number, number, number];
  }

  /** @throws TemplateError ERR_RENDER_GLYPH_MISSING when the face has no glyph for a character. */
  glyph(codePoint: number): OutlineGlyph {
    let glyph = this.glyphs.get(codePoint);
    if (glyph) return glyph;
    const source = this.font.glyphForCodePoint(codePoint);
    if (source.id === 0 && codePoint !== 0x20)
      throw new TemplateError('ERR_RENDER_GLYPH_MISSING', `the annotation font cannot print U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`, {
        field: 'annotation',
      });
    glyph = { codePoint, width: Math.round(source.advanceWidth * this.scale), procedure: deflateSync(Buffer.from(this.procedure(source), 'latin1')) };
    this.glyphs.set(codePoint, glyph);
    return glyph;
  }

  /** Width of `text` at `size` points. */
  widthOf(text: string, size: number): number {
    let width = 0;
    for (const character of text) width += this.glyph(character.codePointAt(0) ?? 0).width;
    return (width * size) / 1000;
  }

  private procedure(glyph: fontkit.Glyph): string {
    const s = this.scale;
    const box = glyph.bbox;
    // An empty glyph (a space) has an infinite box: it draws nothing, within nothing.
    const bounds = [Math.floor(box.minX * s), Math.floor(box.minY * s), Math.ceil(box.maxX * s), Math.ceil(box.maxY * s)].map((n) => (Number.isFinite(n) ? n : 0));
    const ops: string[] = [`${Math.round(glyph.advanceWidth * s)} 0 ${bounds.join(' ')} d1`];
    let x = 0;
    let y = 0;
    for (const { command, args } of glyph.path.commands) {
      const a = args.map((n) => n * s);
      if (command === 'moveTo' || command === 'lineTo') {
        [x, y] = [a[0] ?? 0, a[1] ?? 0];
        ops.push(`${round(x)} ${round(y)} ${command === 'moveTo' ? 'm' : 'l'}`);
      } else if (command === 'quadraticCurveTo') {
        const [qx = 0, qy = 0, ex = 0, ey = 0] = a;
        // A quadratic Bézier as the cubic with the same curve.
        ops.push(
          `${round(x + (2 / 3) * (qx - x))} ${round(y + (2 / 3) * (qy - y))} ${round(ex + (2 / 3) * (qx - ex))} ${round(ey + (2 / 3) * (qy - ey))} ${round(ex)} ${round(ey)} c`,
        );
        [x, y] = [ex, ey];
      } else if (command === 'bezierCurveTo') {
        const [c1x = 0, c1y = 0, c2x = 0, c2y = 0, ex = 0, ey = 0] = a;
        ops.push(`${round(c1x)} ${round(c1y)} ${round(c2x)} ${round(c2y)} ${round(ex)} ${round(ey)} c`);
        [x, y] = [ex, ey];
      } else if (command === 'closePath') {
        ops.push('h');
      }
    }
    ops.push('f');
    return ops.join('\n');
  }
}
