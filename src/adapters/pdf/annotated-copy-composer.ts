import { deflateSync } from 'node:zlib';
import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import { copyMetadataEntries, type CopyComposer, type CopyComposition } from '../../modules/copies/index.js';
import type { QrEncoder, QrMatrix } from '../../modules/templates/index.js';
import { isVaultError, TemplateError } from '../../shared/errors.js';
import { extractOriginalPage, type OriginalPage } from './original-page.js';
import { OutlineFont, type OutlineGlyph } from './outline-font.js';
import { PdfFileWriter, pdfTextString } from './pdf-file-writer.js';
import { pdfDateUtc } from './signature-placeholder.js';

/** Room for the CMS: a B-B signature with the platform certificate (RSA-2048 or P-256) and an RSA root takes under 3,000 bytes. */
const PLACEHOLDER_BYTES = 6144;
const PLACEHOLDER_HEX = '0'.repeat(PLACEHOLDER_BYTES * 2);
const QUIET_ZONE = 4;
const MARGIN = 24;
const QR_SIZE = 84;
const HEADLINE = { size: 12, leading: 16.5 };
const DETAIL = { size: 8.5, leading: 12.5 };
const RED = '0.72 0.06 0.06';
/** Originals kept taken apart, by SHA-256: the same license is copied again and again. */
const CACHED_ORIGINALS = 256;

const fixed = (n: number) => (Math.round(n * 100) / 100).toString();

/** The CJK face the band is set in (Noto Serif SC; the bold face is accepted and not used: one face halves the glyphs a copy carries). */
export interface CopyFonts {
  readonly regular: Uint8Array;
  readonly bold?: Uint8Array;
}

/**
 * Characters nearly every band shows: its fixed wording, digits, the
 * letters of ids and identifiers, punctuation. Their Type 3 font is
 * serialised once per process at fixed object numbers and copied into
 * every copy as bytes; a copy adds procedures only for its other characters.
 */
const COMMON_CHARACTERS = `此件由持证人提供给，仅供办理使用有效期至年月日用证事由：加注时间（北京）编号原标识本平台签章不是；过期或经改动即失效。扫描二维码核验窗口部门登记未的办事中心局市区县省行政服务务0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.:- \u3000`;
/** Object numbers of the common font block: far above any the vault's originals use (tens). */
const COMMON_FIRST_OBJECT = 100_000;

/** The common font, serialised: its resource name is /C. */
interface CommonFont {
  readonly codes: ReadonlyMap<number, number>;
  readonly block: { readonly bytes: Buffer; readonly offsets: ReadonlyMap<number, number> };
  readonly fontRef: number;
}

/** Type 3 fonts of one document: a character of the common font uses it; any other gets a one-byte code in the first font with room (254 codes each). */
class DocumentFonts {
  readonly fonts: OutlineGlyph[][] = [];
  private readonly codes = new Map<number, { font: string; code: number }>();

  constructor(
    private readonly face: OutlineFont,
    private readonly common: CommonFont,
  ) {}

  codeOf(codePoint: number): { font: string; code: number } {
    let code = this.codes.get(codePoint);
    if (code) return code;
    const common = this.common.codes.get(codePoint);
    if (common !== undefined) {
      code = { font: 'C', code: common };
    } else {
      const glyph = this.face.glyph(codePoint);
      let font = this.fonts.findIndex((glyphs) => glyphs.length < 254);
      if (font < 0) font = this.fonts.push([]) - 1;
      const glyphs = this.fonts[font] as OutlineGlyph[];
      glyphs.push(glyph);
      code = { font: `T${font}`, code: glyphs.length };
    }
    this.codes.set(codePoint, code);
    return code;
  }

  /** `/Name size Tf <codes> Tj …` for `text`, switching fonts where its characters need. */
  show(text: string, size: number): string {
    const parts: string[] = [];
    let current = '';
    let hex = '';
    for (const character of text) {
      const { font, code } = this.codeOf(character.codePointAt(0) ?? 0);
      if (font !== current) {
        if (hex) parts.push(`<${hex}> Tj`);
        parts.push(`/${font} ${fixed(size)} Tf`);
        current = font;
        hex = '';
      }
      hex += code.toString(16).padStart(2, '0');
    }
    if (hex) parts.push(`<${hex}> Tj`);
    return parts.join(' ');
  }
}

/** A Type 3 font dictionary over `glyphs` (codes 1…n), their procedures and ToUnicode map at the given object numbers. */
function type3Font(face: OutlineFont, glyphs: readonly OutlineGlyph[], procedures: readonly number[], unicodeRef: number): string {
  return (
    `<< /Type /Font /Subtype /Type3 /FontBBox [${face.bbox.join(' ')}] /FontMatrix [0.001 0 0 0.001 0 0] /Resources << >>` +
    ` /CharProcs << ${procedures.map((ref, i) => `/g${i + 1} ${ref} 0 R`).join(' ')} >>` +
    ` /Encoding << /Type /Encoding /Differences [1 ${glyphs.map((_, i) => `/g${i + 1}`).join(' ')}] >>` +
    ` /FirstChar 1 /LastChar ${glyphs.length} /Widths [${glyphs.map((glyph) => glyph.width).join(' ')}] /ToUnicode ${unicodeRef} 0 R >>`
  );
}

/** Writes `glyphs` as a Type 3 font (procedures, ToUnicode, dictionary) with numbers from `number()`; returns the dictionary's. */
function writeType3Font(writer: PdfFileWriter, face: OutlineFont, glyphs: readonly OutlineGlyph[], number: () => number): number {
  const procedures = glyphs.map((glyph) => {
    const ref = number();
    writer.stream(ref, '/Filter /FlateDecode', glyph.procedure);
    return ref;
  });
  const unicodeRef = number();
  writer.stream(unicodeRef, '', toUnicode(glyphs));
  const fontRef = number();
  writer.object(fontRef, type3Font(face, glyphs, procedures, unicodeRef));
  return fontRef;
}

function wrap(font: OutlineFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const character of text) {
    const advance = font.widthOf(character, size);
    if (line && lineWidth + advance > width) {
      lines.push(line);
      line = '';
      lineWidth = 0;
    }
    line += character;
    lineWidth += advance;
  }
  if (line) lines.push(line);
  return lines;
}

function qrImage(qr: QrMatrix): Buffer {
  const width = qr.size + 2 * QUIET_ZONE;
  const rowBytes = Math.ceil(width / 8);
  const bits = Buffer.alloc(rowBytes * width, 0xff);
  for (let row = 0; row < qr.size; row += 1) {
    for (let column = 0; column < qr.size; column += 1) {
      if (!qr.modules[row * qr.size + column]) continue;
      const x = column + QUIET_ZONE;
      const offset = (row + QUIET_ZONE) * rowBytes + (x >> 3);
      bits[offset] = (bits[offset] ?? 0) & ~(0x80 >> (x & 7));
    }
  }
  return bits;
}

function toUnicode(glyphs: readonly OutlineGlyph[]): Buffer {
  const pairs = glyphs.map((glyph, i) => `<${(i + 1).toString(16).padStart(2, '0')}> <${Buffer.from(String.fromCodePoint(glyph.codePoint), 'utf16le').swap16().toString('hex')}>`);
  const ranges: string[] = [];
  for (let i = 0; i < pairs.length; i += 100) ranges.push(`${Math.min(100, pairs.length - i)} beginbfchar\n${pairs.slice(i, i + 100).join('\n')}\nendbfchar`);
  return Buffer.from(
    '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
      '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n' +
      `${ranges.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`,
    'latin1',
  );
}

/**
 * Makes annotated copies (加注件) from the original's bytes without a PDF
 * library: the original's first page, taken apart once and cached
 * ({@link extractOriginalPage}), is shown unchanged as a Form XObject on a
 * page made taller by a band below it, which states who provided the
 * license to which office, for what and until when, with the details, the
 * copy's own number and its QR link; a light diagonal watermark crosses the
 * license itself, so a page cut off above the band still reads as a copy.
 * Text is set in Type 3 fonts built from the CJK faces' outlines (glyph
 * procedures made once per process), with a ToUnicode map so it can be
 * searched and copied. The copy's metadata goes in the document
 * information; the signature placeholder is written last.
 */
export class AnnotatedCopyComposer implements CopyComposer {
  private readonly face: OutlineFont;
  private readonly common: CommonFont;
  private readonly originals = new Map<string, OriginalPage>();

  constructor(
    fonts: CopyFonts,
    private readonly qr: QrEncoder,
  ) {
    this.face = new OutlineFont(fonts.regular);
    const glyphs = [...new Set(COMMON_CHARACTERS)].map((character) => this.face.glyph(character.codePointAt(0) ?? 0));
    const writer = new PdfFileWriter(false);
    let next = COMMON_FIRST_OBJECT;
    const fontRef = writeType3Font(writer, this.face, glyphs, () => next++);
    this.common = { codes: new Map(glyphs.map((glyph, i) => [glyph.codePoint, i + 1])), block: writer.block(), fontRef };
  }

  async compose(composition: CopyComposition): Promise<PreparedPdf> {
    try {
      return this.write(composition, await this.original(composition));
    } catch (error) {
      if (isVaultError(error)) throw error;
      throw new TemplateError('ERR_RENDER_FAILED', `the annotated copy could not be made: ${error instanceof Error ? error.message : String(error)}`, undefined, {
        cause: error,
      });
    }
  }

  private async original(composition: CopyComposition): Promise<OriginalPage> {
    const key = composition.metadata.originalSha256;
    let page = this.originals.get(key);
    if (page) {
      this.originals.delete(key);
    } else {
      page = extractOriginalPage(await composition.original());
      if (this.originals.size >= CACHED_ORIGINALS) this.originals.delete(this.originals.keys().next().value as string);
    }
    this.originals.set(key, page);
    return page;
  }

  private write(composition: CopyComposition, page: OriginalPage): PreparedPdf {
    const { band, metadata } = composition;
    const [x0, y0, x1, y1] = page.mediaBox;
    const width = x1 - x0;
    const height = y1 - y0;
    const fonts = new DocumentFonts(this.face, this.common);

    const textWidth = width - 2 * MARGIN - QR_SIZE - 16;
    const headline = wrap(this.face, band.statement, HEADLINE.size, textWidth);
    const details = band.details.flatMap((line) => wrap(this.face, line, DETAIL.size, textWidth));
    const strip = Math.ceil(Math.max(QR_SIZE + 34, 16 + headline.length * HEADLINE.leading + 4 + details.length * DETAIL.leading + 10));

    const ops: string[] = [`q 1 0 0 1 ${fixed(-x0)} ${fixed(strip - y0)} cm /Original Do Q`];
    // The band: a tinted strip under the license, ruled off in red.
    ops.push(`q 1 0.965 0.955 rg 0 0 ${fixed(width)} ${strip} re f ${RED} RG 1.2 w 0 ${strip - 0.6} m ${fixed(width)} ${strip - 0.6} l S Q`);
    let y = strip - 16 - HEADLINE.size * 0.8;
    ops.push(`BT ${RED} rg`);
    for (const line of headline) {
      ops.push(`1 0 0 1 ${MARGIN} ${fixed(y)} Tm ${fonts.show(line, HEADLINE.size)}`);
      y -= HEADLINE.leading;
    }
    y -= 4 - HEADLINE.leading + DETAIL.leading;
    ops.push('0.18 0.18 0.18 rg');
    for (const line of details) {
      ops.push(`1 0 0 1 ${MARGIN} ${fixed(y)} Tm ${fonts.show(line, DETAIL.size)}`);
      y -= DETAIL.leading;
    }
    const caption = '扫码核验加注件';
    const qrX = width - MARGIN - QR_SIZE;
    const qrY = strip - 12 - QR_SIZE;
    ops.push(`0.3 0.3 0.3 rg 1 0 0 1 ${fixed(qrX + (QR_SIZE - this.face.widthOf(caption, 7.5)) / 2)} ${fixed(qrY - 10)} Tm ${fonts.show(caption, 7.5)} ET`);
    ops.push(`q ${QR_SIZE} 0 0 ${QR_SIZE} ${fixed(qrX)} ${fixed(qrY)} cm /QR Do Q`);
    // The watermark: along the license's diagonal, light enough to read every field through.
    const angle = Math.atan2(height, width);
    const size = Math.min(44, (0.7 * Math.hypot(width, height)) / (this.face.widthOf(band.watermark, 1) || 1));
    const run = this.face.widthOf(band.watermark, size);
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const tx = width / 2 - (run / 2) * cos + size * 0.35 * sin;
    const ty = strip + height / 2 - (run / 2) * sin - size * 0.35 * cos;
    ops.push(`q /Faint gs BT ${RED} rg ${fixed(cos)} ${fixed(sin)} ${fixed(-sin)} ${fixed(cos)} ${fixed(tx)} ${fixed(ty)} Tm ${fonts.show(band.watermark, size)} ET Q`);

    const writer = new PdfFileWriter();
    writer.copied(page.objects, page.offsets);
    let next = page.nextObjectNumber;
    const number = () => next++;

    const formRef = number();
    writer.object(formRef, page.form);
    const qrMatrix = this.qr.encode(composition.verificationUrl);
    const qrWidth = qrMatrix.size + 2 * QUIET_ZONE;
    const qrRef = number();
    writer.stream(qrRef, `/Type /XObject /Subtype /Image /Width ${qrWidth} /Height ${qrWidth} /ColorSpace /DeviceGray /BitsPerComponent 1 /Interpolate false`, qrImage(qrMatrix));

    writer.copied(this.common.block.bytes, this.common.block.offsets);
    const fontRefs = fonts.fonts.map((glyphs) => writeType3Font(writer, this.face, glyphs, number));

    const contentRef = number();
    writer.stream(contentRef, '/Filter /FlateDecode', deflateSync(Buffer.from(ops.join('\n'), 'latin1')));
    const [pageRef, pagesRef, widgetRef, formFieldsRef, catalogRef, infoRef, signatureRef] = [number(), number(), number(), number(), number(), number(), number()];
    const fontResources = [`/C ${this.common.fontRef} 0 R`, ...fontRefs.map((ref, i) => `/T${i} ${ref} 0 R`)].join(' ');
    writer.object(
      pageRef,
      `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${fixed(width)} ${fixed(height + strip)}]` +
        ` /Resources << /XObject << /Original ${formRef} 0 R /QR ${qrRef} 0 R >> /Font << ${fontResources} >> /ExtGState << /Faint << /ca 0.16 /CA 0.16 >> >> >>` +
        ` /Contents ${contentRef} 0 R /Annots [${widgetRef} 0 R] >>`,
    );
    writer.object(pagesRef, `<< /Type /Pages /Kids [${pageRef} 0 R] /Count 1 >>`);
    writer.object(widgetRef, `<< /Type /Annot /Subtype /Widget /FT /Sig /T (CopySignature) /V ${signatureRef} 0 R /F 132 /Rect [0 0 0 0] /P ${pageRef} 0 R >>`);
    writer.object(formFieldsRef, `<< /Fields [${widgetRef} 0 R] /SigFlags 3 >>`);
    writer.object(catalogRef, `<< /Type /Catalog /Pages ${pagesRef} 0 R /AcroForm ${formFieldsRef} 0 R >>`);
    const made = pdfDateUtc(composition.signingTime);
    writer.object(
      infoRef,
      `<< /Title ${pdfTextString(`加注件 ${metadata.copyId}`)} /Subject ${pdfTextString(band.statement)} /Producer (License Vault) /Creator (License Vault)` +
        ` /CreationDate (${made}) /ModDate (${made})\n${copyMetadataEntries(metadata)
          .map(([key, value]) => `/${key} ${pdfTextString(value)}`)
          .join('\n')} >>`,
    );
    const signature =
      `<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n/ByteRange [0 /********** /********** /**********]\n` +
      `/Contents <${PLACEHOLDER_HEX}>\n/M (${made})\n/Name ${pdfTextString('电子证照库平台 加注件签章')}\n/Reason ${pdfTextString('加注件')}\n>>`;
    const dictionary = writer.object(signatureRef, signature);
    const byteRangeStart = dictionary + signature.indexOf('[0 /');
    const contentsStart = dictionary + signature.indexOf('/Contents <') + '/Contents '.length;
    const pdf = writer.finish(catalogRef, infoRef);
    return {
      pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength),
      placeholder: {
        byteRangeStart,
        byteRangeEnd: signature.indexOf(']', byteRangeStart - dictionary) + dictionary + 1,
        contentsStart,
        contentsEnd: contentsStart + PLACEHOLDER_BYTES * 2 + 2,
      },
    };
  }
}
