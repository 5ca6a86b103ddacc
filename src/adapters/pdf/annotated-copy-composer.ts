import { deflateSync } from 'node:zlib';
import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import { copyMetadataEntries, type CopyComposer, type CopyComposition } from '../../modules/copies/index.js';
import type { QrEncoder, QrMatrix } from '../../modules/templates/index.js';
import { isVaultError, TemplateError } from '../../shared/errors.js';
import { extractOriginalPage, type OriginalPage } from './original-page.js';
import { OutlineFont, type OutlineGlyph } from './outline-font.js';
import { PdfFileWriter, pdfTextString } from './pdf-file-writer.js';
import { pdfDateUtc } from './signature-placeholder.js';

/** Room for the CMS: a B-B signature with the platform certificate and the root fits with margin. */
const PLACEHOLDER_BYTES = 8192;
const PLACEHOLDER_HEX = '0'.repeat(PLACEHOLDER_BYTES * 2);
const QUIET_ZONE = 4;
const MARGIN = 24;
const QR_SIZE = 84;
const HEADLINE = { size: 12, leading: 16.5 };
const DETAIL = { size: 8.5, leading: 12.5 };
const RED = '0.72 0.06 0.06';
/** Originals kept taken apart, by SHA-256: the same license is copied again and again. */
const CACHED_ORIGINALS = 256;

type Face = 'regular' | 'bold';

const fixed = (n: number) => (Math.round(n * 100) / 100).toString();

/** The two CJK faces of the band: body text and the heavier one for the statement and the watermark. */
export interface CopyFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

/** Type 3 fonts of one document: each character gets a one-byte code in the first font of its face with room (254 codes each). */
class DocumentFonts {
  readonly fonts: { face: Face; glyphs: OutlineGlyph[] }[] = [];
  private readonly codes = new Map<string, { font: number; code: number }>();

  constructor(private readonly faces: Readonly<Record<Face, OutlineFont>>) {}

  codeOf(face: Face, codePoint: number): { font: number; code: number } {
    const key = `${face}:${codePoint}`;
    let code = this.codes.get(key);
    if (code) return code;
    const glyph = this.faces[face].glyph(codePoint);
    let font = this.fonts.findIndex((f) => f.face === face && f.glyphs.length < 254);
    if (font < 0) font = this.fonts.push({ face, glyphs: [] }) - 1;
    const entry = this.fonts[font] as { face: Face; glyphs: OutlineGlyph[] };
    entry.glyphs.push(glyph);
    code = { font, code: entry.glyphs.length };
    this.codes.set(key, code);
    return code;
  }

  /** `/Tn size Tf <codes> Tj …` for `text`, switching fonts where its characters need. */
  show(face: Face, text: string, size: number): string {
    const parts: string[] = [];
    let current = -1;
    let hex = '';
    for (const character of text) {
      const { font, code } = this.codeOf(face, character.codePointAt(0) ?? 0);
      if (font !== current) {
        if (hex) parts.push(`<${hex}> Tj`);
        parts.push(`/T${font} ${fixed(size)} Tf`);
        current = font;
        hex = '';
      }
      hex += code.toString(16).padStart(2, '0');
    }
    if (hex) parts.push(`<${hex}> Tj`);
    return parts.join(' ');
  }
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
  private readonly faces: Readonly<Record<Face, OutlineFont>>;
  private readonly originals = new Map<string, OriginalPage>();

  constructor(
    fonts: CopyFonts,
    private readonly qr: QrEncoder,
  ) {
    this.faces = { regular: new OutlineFont(fonts.regular), bold: new OutlineFont(fonts.bold) };
  }

  async compose(composition: CopyComposition): Promise<PreparedPdf> {
    try {
      return this.write(composition);
    } catch (error) {
      if (isVaultError(error)) throw error;
      throw new TemplateError('ERR_RENDER_FAILED', `the annotated copy could not be made: ${error instanceof Error ? error.message : String(error)}`, undefined, {
        cause: error,
      });
    }
  }

  private original(composition: CopyComposition): OriginalPage {
    const key = composition.metadata.originalSha256;
    let page = this.originals.get(key);
    if (page) {
      this.originals.delete(key);
    } else {
      page = extractOriginalPage(composition.original);
      if (this.originals.size >= CACHED_ORIGINALS) this.originals.delete(this.originals.keys().next().value as string);
    }
    this.originals.set(key, page);
    return page;
  }

  private write(composition: CopyComposition): PreparedPdf {
    const page = this.original(composition);
    const { band, metadata } = composition;
    const [x0, y0, x1, y1] = page.mediaBox;
    const width = x1 - x0;
    const height = y1 - y0;
    const fonts = new DocumentFonts(this.faces);

    const textWidth = width - 2 * MARGIN - QR_SIZE - 16;
    const headline = wrap(this.faces.bold, band.statement, HEADLINE.size, textWidth);
    const details = band.details.flatMap((line) => wrap(this.faces.regular, line, DETAIL.size, textWidth));
    const strip = Math.ceil(Math.max(QR_SIZE + 34, 16 + headline.length * HEADLINE.leading + 4 + details.length * DETAIL.leading + 10));

    const ops: string[] = [`q 1 0 0 1 ${fixed(-x0)} ${fixed(strip - y0)} cm /Original Do Q`];
    // The band: a tinted strip under the license, ruled off in red.
    ops.push(`q 1 0.965 0.955 rg 0 0 ${fixed(width)} ${strip} re f ${RED} RG 1.2 w 0 ${strip - 0.6} m ${fixed(width)} ${strip - 0.6} l S Q`);
    let y = strip - 16 - HEADLINE.size * 0.8;
    ops.push(`BT ${RED} rg`);
    for (const line of headline) {
      ops.push(`1 0 0 1 ${MARGIN} ${fixed(y)} Tm ${fonts.show('bold', line, HEADLINE.size)}`);
      y -= HEADLINE.leading;
    }
    y -= 4 - HEADLINE.leading + DETAIL.leading;
    ops.push('0.18 0.18 0.18 rg');
    for (const line of details) {
      ops.push(`1 0 0 1 ${MARGIN} ${fixed(y)} Tm ${fonts.show('regular', line, DETAIL.size)}`);
      y -= DETAIL.leading;
    }
    const caption = '扫码核验加注件';
    const qrX = width - MARGIN - QR_SIZE;
    const qrY = strip - 12 - QR_SIZE;
    ops.push(`0.3 0.3 0.3 rg 1 0 0 1 ${fixed(qrX + (QR_SIZE - this.faces.regular.widthOf(caption, 7.5)) / 2)} ${fixed(qrY - 10)} Tm ${fonts.show('regular', caption, 7.5)} ET`);
    ops.push(`q ${QR_SIZE} 0 0 ${QR_SIZE} ${fixed(qrX)} ${fixed(qrY)} cm /QR Do Q`);
    // The watermark: along the license's diagonal, light enough to read every field through.
    const angle = Math.atan2(height, width);
    const size = Math.min(44, (0.7 * Math.hypot(width, height)) / (this.faces.bold.widthOf(band.watermark, 1) || 1));
    const run = this.faces.bold.widthOf(band.watermark, size);
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const tx = width / 2 - (run / 2) * cos + size * 0.35 * sin;
    const ty = strip + height / 2 - (run / 2) * sin - size * 0.35 * cos;
    ops.push(`q /Faint gs BT ${RED} rg ${fixed(cos)} ${fixed(sin)} ${fixed(-sin)} ${fixed(cos)} ${fixed(tx)} ${fixed(ty)} Tm ${fonts.show('bold', band.watermark, size)} ET Q`);

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

    const fontRefs: number[] = [];
    for (const font of fonts.fonts) {
      const procedures = font.glyphs.map((glyph) => {
        const ref = number();
        writer.stream(ref, '/Filter /FlateDecode', glyph.procedure);
        return ref;
      });
      const unicodeRef = number();
      writer.stream(unicodeRef, '', toUnicode(font.glyphs));
      const fontRef = number();
      const bbox = this.faces[font.face].bbox.join(' ');
      writer.object(
        fontRef,
        `<< /Type /Font /Subtype /Type3 /FontBBox [${bbox}] /FontMatrix [0.001 0 0 0.001 0 0] /Resources << >>` +
          ` /CharProcs << ${procedures.map((ref, i) => `/g${i + 1} ${ref} 0 R`).join(' ')} >>` +
          ` /Encoding << /Type /Encoding /Differences [1 ${font.glyphs.map((_, i) => `/g${i + 1}`).join(' ')}] >>` +
          ` /FirstChar 1 /LastChar ${font.glyphs.length} /Widths [${font.glyphs.map((glyph) => glyph.width).join(' ')}] /ToUnicode ${unicodeRef} 0 R >>`,
      );
      fontRefs.push(fontRef);
    }

    const contentRef = number();
    writer.stream(contentRef, '/Filter /FlateDecode', deflateSync(Buffer.from(ops.join('\n'), 'latin1')));
    const [pageRef, pagesRef, widgetRef, formFieldsRef, catalogRef, infoRef, signatureRef] = [number(), number(), number(), number(), number(), number(), number()];
    const fontResources = fontRefs.map((ref, i) => `/T${i} ${ref} 0 R`).join(' ');
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
