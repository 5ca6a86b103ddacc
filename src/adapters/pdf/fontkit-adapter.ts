import { EventEmitter } from 'node:events';
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];
type PdfLibFont = ReturnType<PdfLibFontkit['create']>;
type Font2 = fontkit.Font;
type Glyph2 = ReturnType<Font2['glyphForCodePoint']>;

/** pdf-lib calls `encodeStream()` on a subset; fontkit 2 offers `encode()`. */
function subsetWithStream(subset: ReturnType<Font2['createSubset']>) {
  return Object.assign(subset, {
    encodeStream(): EventEmitter {
      const stream = new EventEmitter();
      queueMicrotask(() => {
        try {
          stream.emit('data', subset.encode());
          stream.emit('end');
        } catch (error) {
          stream.emit('error', error);
        }
      });
      return stream;
    },
  });
}

/**
 * fontkit's subsetter decodes a glyph's whole outline each time the glyph
 * joins a subset, only to learn whether it is composite. A static font's
 * outlines never change, so each glyph is decoded once per process.
 */
function decodeOnce(glyph: Glyph2): void {
  const internals = glyph as unknown as { _decode?: () => unknown };
  const decode = internals._decode;
  if (typeof decode !== 'function') return;
  let decoded: { value: unknown } | undefined;
  internals._decode = () => (decoded ??= { value: decode.call(glyph) }).value;
}

/**
 * A fontkit 2 font seen through the members pdf-lib reads. `layout` maps
 * characters to glyphs one to one without OpenType shaping: licenses are set
 * in Chinese and plain Latin, which need no ligatures or contextual forms,
 * and shaping dominated render time.
 */
class PdfLibFontView {
  private characters: number[] | undefined;
  private readonly glyphs = new Map<number, Glyph2>();

  private readonly staticOutlines: boolean;

  constructor(private readonly font: Font2) {
    this.staticOutlines = !(font as unknown as { _variationProcessor?: unknown })._variationProcessor;
  }

  get unitsPerEm(): number {
    return this.font.unitsPerEm;
  }
  get postscriptName(): string | null {
    return this.font.postscriptName;
  }
  get ascent(): number {
    return this.font.ascent;
  }
  get descent(): number {
    return this.font.descent;
  }
  get capHeight(): number {
    return this.font.capHeight;
  }
  get xHeight(): number {
    return this.font.xHeight;
  }
  get italicAngle(): number {
    return this.font.italicAngle;
  }
  get bbox(): Font2['bbox'] {
    return this.font.bbox;
  }
  get cff(): unknown {
    return (this.font as unknown as { cff?: unknown }).cff;
  }
  /** Tables pdf-lib reads to derive the font descriptor flags. */
  get post(): unknown {
    return (this.font as unknown as { post: unknown }).post;
  }
  get head(): unknown {
    return (this.font as unknown as { head: unknown }).head;
  }
  get 'OS/2'(): unknown {
    return (this.font as unknown as { 'OS/2': unknown })['OS/2'];
  }
  get characterSet(): number[] {
    this.characters ??= this.font.characterSet;
    return this.characters;
  }

  glyphForCodePoint(codePoint: number): Glyph2 {
    let glyph = this.glyphs.get(codePoint);
    if (!glyph) {
      glyph = this.font.glyphForCodePoint(codePoint);
      if (this.staticOutlines) decodeOnce(glyph);
      this.glyphs.set(codePoint, glyph);
    }
    return glyph;
  }

  hasGlyphForCodePoint(codePoint: number): boolean {
    return this.font.hasGlyphForCodePoint(codePoint);
  }

  layout(text: string): { glyphs: Glyph2[] } {
    const glyphs: Glyph2[] = [];
    for (const character of text) glyphs.push(this.glyphForCodePoint(character.codePointAt(0) ?? 0));
    return { glyphs };
  }

  createSubset() {
    return subsetWithStream(this.font.createSubset());
  }
}

/**
 * fontkit 2 behind the interface pdf-lib expects. pdf-lib's own fork
 * (@pdf-lib/fontkit) corrupts CJK subsets; fontkit 2 subsets them correctly.
 * Fonts are parsed once and cached by their byte array: pdf-lib asks for a
 * parse on every embedding, which costs 30–45 ms per document for a CJK font.
 */
export function createFontkitAdapter(): PdfLibFontkit {
  const parsed = new WeakMap<Uint8Array, PdfLibFontView>();
  return {
    create(bytes: Uint8Array): PdfLibFont {
      let view = parsed.get(bytes);
      if (!view) {
        const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if (!('createSubset' in font)) throw new TypeError('a font collection was given where a single font is needed');
        view = new PdfLibFontView(font);
        parsed.set(bytes, view);
      }
      return view as unknown as PdfLibFont;
    },
  };
}

/** Characters of `text` (other than white space) that the font has no glyph for. */
export function missingCharacters(bytes: Uint8Array, adapter: PdfLibFontkit, text: string): string[] {
  const font = adapter.create(bytes) as unknown as PdfLibFontView;
  return [...new Set(text)].filter((char) => !/\s/u.test(char) && !font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0));
}
