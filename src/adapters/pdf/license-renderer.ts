import { randomBytes } from 'node:crypto';
import { degrees, PDFDocument, PDFHexString, PDFName, rgb, type PDFFont, type PDFPage, PDFDict } from 'pdf-lib';
import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import { HOLDER_TYPE_CODES } from '../../modules/identity/index.js';
import { itemText, wrapText, type LicenseRenderer, type QrEncoder, type RenderRequest, type TemplateLayout } from '../../modules/templates/index.js';
import { isVaultError, TemplateError } from '../../shared/errors.js';
import { createFontkitAdapter, missingCharacters } from './fontkit-adapter.js';
import { compressStreamsNatively } from './native-deflate.js';
import { drawQrImage } from './qr-image.js';
import { drawSeal, drawSealImage } from './seal.js';
import { addSignaturePlaceholder, savePreparedPdf } from './signature-placeholder.js';

/** The CJK typefaces a license is set in: body text and the heavier face for titles and the seal. */
export interface LicenseFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

const PAGE_SIZES: Readonly<Record<TemplateLayout['page']['size'], readonly [number, number]>> = {
  A5: [419.53, 595.28],
  A4: [595.28, 841.89],
  A3: [841.89, 1190.55],
};
const MIN_TEXT_SIZE = 6;

function hexColor(hex: string) {
  return rgb(parseInt(hex.slice(1, 3), 16) / 255, parseInt(hex.slice(3, 5), 16) / 255, parseInt(hex.slice(5, 7), 16) / 255);
}

function drawBorder(page: PDFPage, border: TemplateLayout['border']): void {
  const { width, height } = page.getSize();
  const color = hexColor(border.color);
  const frame = (inset: number, lineWidth: number) =>
    page.drawRectangle({ x: inset, y: inset, width: width - 2 * inset, height: height - 2 * inset, borderColor: color, borderWidth: lineWidth });
  frame(border.inset, border.width);
  if (border.double) frame(border.inset + border.width * 2.5, border.width / 2);
  if (!border.corners) return;
  const arm = 28;
  const at = border.inset + border.width * 5;
  for (const [x, y, dx, dy] of [
    [at, at, 1, 1],
    [width - at, at, -1, 1],
    [at, height - at, 1, -1],
    [width - at, height - at, -1, -1],
  ] as const) {
    page.drawLine({ start: { x, y }, end: { x: x + dx * arm, y }, thickness: border.width, color });
    page.drawLine({ start: { x, y }, end: { x, y: y + dy * arm }, thickness: border.width, color });
    page.drawRectangle({ x: x + dx * 6 - 2.5, y: y + dy * 6 - 2.5, width: 5, height: 5, color });
  }
}

/** `text` in large, light red letters, twice diagonally across the page, over everything else. */
function drawWatermark(page: PDFPage, font: PDFFont, text: string): void {
  const { width, height } = page.getSize();
  const angle = Math.atan2(height, width);
  const size = (Math.hypot(width, height) * 0.42) / font.widthOfTextAtSize(text, 1);
  const textWidth = font.widthOfTextAtSize(text, size);
  for (const share of [0.28, 0.72]) {
    page.drawText(text, {
      x: width * share - (Math.cos(angle) * textWidth) / 2 + (Math.sin(angle) * size) / 3,
      y: height * share - (Math.sin(angle) * textWidth) / 2 - (Math.cos(angle) * size) / 3,
      size,
      font,
      color: rgb(0.85, 0.1, 0.1),
      opacity: 0.25,
      rotate: degrees((angle * 180) / Math.PI),
    });
  }
}

/**
 * Renders licenses with pdf-lib: the template's layout in a CJK serif face
 * (subset per document, parsed once per process through fontkit 2), the
 * GB/T 36904 identifier, the department's seal, the verification QR code as a
 * 1-bit image, GB/T 36903 metadata, and a signature placeholder so that
 * signing never re-serialises the document.
 */
export class PdfLibLicenseRenderer implements LicenseRenderer {
  private readonly fontkit = createFontkitAdapter();

  constructor(
    private readonly fonts: LicenseFonts,
    private readonly qr: QrEncoder,
  ) {
    // Parse both faces now, once, rather than on the first license.
    this.fontkit.create(fonts.regular);
    this.fontkit.create(fonts.bold);
  }

  /** @throws TemplateError ERR_RENDER_GLYPH_MISSING for text the fonts cannot print; ERR_RENDER_FAILED for a fault of the vault's own (pdf-lib, fonts, seal image). */
  async render(request: RenderRequest): Promise<PreparedPdf> {
    try {
      return await this.draw(request);
    } catch (error) {
      if (isVaultError(error)) throw error;
      throw new TemplateError('ERR_RENDER_FAILED', `the license could not be rendered: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
    }
  }

  private async draw(request: RenderRequest): Promise<PreparedPdf> {
    const { template, license, fields } = request;
    const { layout } = template;
    const texts = layout.items.map((item) => ({ item, ...itemText(item, template, license, fields) }));
    for (const { item, label, text } of texts) this.requireGlyphs(this.fonts.regular, `${label}${text}`, item.value);
    const sealName = request.seal.kind === 'drawn' ? request.seal.departmentName : '';
    this.requireGlyphs(this.fonts.bold, `${layout.title.text}${layout.subtitle?.text ?? ''}${sealName}${layout.seal.purpose}${request.watermark ?? ''}`, 'layout');

    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(this.fontkit);
    const regular = await doc.embedFont(this.fonts.regular, { subset: true, customName: this.subsetName(this.fonts.regular) });
    const bold = await doc.embedFont(this.fonts.bold, { subset: true, customName: this.subsetName(this.fonts.bold) });
    const [short, long] = PAGE_SIZES[layout.page.size];
    const page = doc.addPage(layout.page.orientation === 'portrait' ? [short, long] : [long, short]);

    drawBorder(page, layout.border);
    for (const box of [layout.title, layout.subtitle]) {
      if (!box) continue;
      const width = bold.widthOfTextAtSize(box.text, box.size);
      page.drawText(box.text, { x: box.align === 'center' ? box.x - width / 2 : box.x, y: box.y, size: box.size, font: bold, color: hexColor(box.color) });
    }
    for (const { item, label, text } of texts) this.drawItem(page, regular, item, label, text);
    page.drawText(`电子证照标识：${license.identifier}`, {
      x: layout.identifier.x,
      y: layout.identifier.y,
      size: layout.identifier.size,
      font: regular,
      color: rgb(0.25, 0.25, 0.25),
    });

    drawQrImage(doc, page, this.qr.encode(request.verificationUrl), layout.qr);
    if (layout.qr.caption) {
      const size = 8;
      const width = regular.widthOfTextAtSize(layout.qr.caption, size);
      page.drawText(layout.qr.caption, { x: layout.qr.x + (layout.qr.size - width) / 2, y: layout.qr.y - size - 2, size, font: regular });
    }
    if (request.seal.kind === 'drawn') {
      drawSeal(page, bold, {
        centerX: layout.seal.x,
        centerY: layout.seal.y,
        radius: layout.seal.radius,
        departmentName: request.seal.departmentName,
        purpose: layout.seal.purpose,
      });
    } else {
      await drawSealImage(doc, page, request.seal.png, { centerX: layout.seal.x, centerY: layout.seal.y, radius: layout.seal.radius });
    }

    if (request.watermark) drawWatermark(page, bold, request.watermark);
    this.writeMetadata(doc, request);
    const signatureField = addSignaturePlaceholder(doc, { ...request.signature, placeholderBytes: 16384 });
    await compressStreamsNatively(doc);
    return savePreparedPdf(doc, signatureField);
  }

  /** A subset font's name carries a tag of six capital letters (ISO 32000-1, 9.6.4), e.g. `KQZTWB+NotoSerifSC-Regular`. */
  private subsetName(font: Uint8Array): string {
    const tag = Array.from(randomBytes(6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
    return `${tag}+${this.fontkit.create(font).postscriptName ?? 'CJKFont'}`;
  }

  private requireGlyphs(font: Uint8Array, text: string, field: string): void {
    const missing = missingCharacters(font, this.fontkit, text);
    if (missing.length > 0) {
      throw new TemplateError(
        'ERR_RENDER_GLYPH_MISSING',
        `${field}: the license font cannot print ${missing.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`).join(', ')}`,
        { field },
      );
    }
  }

  /** Label, then the value wrapped to its width; a value longer than its lines allow is set smaller until it fits. */
  private drawItem(page: PDFPage, font: PDFFont, item: TemplateLayout['items'][number], label: string, text: string): void {
    if (item.labelWidth > 0) page.drawText(`${label}：`, { x: item.x, y: item.y, size: item.size, font });
    let size = item.size;
    let lines = wrapText(text, item.maxWidth, (t) => font.widthOfTextAtSize(t, size));
    while (lines.length > item.maxLines && size > MIN_TEXT_SIZE) {
      size = Math.max(MIN_TEXT_SIZE, size - 0.5);
      lines = wrapText(text, item.maxWidth, (t) => font.widthOfTextAtSize(t, size));
    }
    lines.forEach((line, i) => page.drawText(line, { x: item.x + item.labelWidth, y: item.y - i * size * item.lineHeight, size, font }));
  }

  private writeMetadata(doc: PDFDocument, request: RenderRequest): void {
    const { license, template } = request;
    const issued = request.signature.signingTime;
    doc.setTitle(`${template.catalogue.name} ${license.licenseNumber}`);
    doc.setSubject(`${template.catalogue.name}（电子证照）`);
    doc.setKeywords(['电子证照', template.catalogue.name, license.identifier, license.licenseNumber]);
    doc.setAuthor(license.issuer.name);
    doc.setCreator('License Vault');
    doc.setProducer('License Vault');
    doc.setCreationDate(issued);
    doc.setModificationDate(issued);
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    // GB/T 36903 metadata as custom document information entries.
    const custom: Record<string, string> = {
      LicenseIdentifier: license.identifier,
      LicenseNumber: license.licenseNumber,
      LicenseTypeCode: license.typeCode,
      LicenseTypeName: template.catalogue.name,
      TemplateVersion: String(template.version),
      IssuerName: license.issuer.name,
      IssuerCreditCode: license.issuer.creditCode,
      HolderTypeCode: HOLDER_TYPE_CODES[license.holder.type],
      ValidFrom: license.validFrom,
      ValidUntil: license.validUntil ?? '长期',
    };
    for (const [key, value] of Object.entries(custom)) info.set(PDFName.of(key), PDFHexString.fromText(value));
  }
}
