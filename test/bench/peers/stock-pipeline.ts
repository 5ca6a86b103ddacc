import pdfLibFontkit from '@pdf-lib/fontkit';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import QRCode from 'qrcode';
import { drawSeal } from '../../../src/adapters/pdf/seal.js';
import { itemText, wrapText, type RenderRequest } from '../../../src/modules/templates/index.js';

/**
 * The peer: the stock Node pipeline a team would write first for the same
 * license — pdf-lib with @pdf-lib/fontkit (fonts handed over each time), a
 * PNG QR code from qrcode, the placeholder from @signpdf/placeholder-pdf-lib
 * and the signature from @signpdf/signpdf with @signpdf/signer-p12.
 */

export interface StockFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

async function draw(request: RenderRequest, fonts: StockFonts): Promise<{ doc: PDFDocument; regular: PDFFont }> {
  const { template, license, fields } = request;
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  const { layout } = template;
  page.drawRectangle({
    x: layout.border.inset,
    y: layout.border.inset,
    width: 595.28 - 2 * layout.border.inset,
    height: 841.89 - 2 * layout.border.inset,
    borderColor: rgb(0.55, 0.1, 0.1),
    borderWidth: layout.border.width,
  });
  page.drawText(layout.title.text, {
    x: layout.title.x - bold.widthOfTextAtSize(layout.title.text, layout.title.size) / 2,
    y: layout.title.y,
    size: layout.title.size,
    font: bold,
  });
  for (const item of layout.items) {
    const { label, text } = itemText(item, template, license, fields);
    page.drawText(`${label}：`, { x: item.x, y: item.y, size: item.size, font: regular });
    wrapText(text, item.maxWidth, (t) => regular.widthOfTextAtSize(t, item.size)).forEach((line, i) =>
      page.drawText(line, { x: item.x + item.labelWidth, y: item.y - i * item.size * 1.4, size: item.size, font: regular }),
    );
  }
  page.drawText(`电子证照标识：${license.identifier}`, { x: layout.identifier.x, y: layout.identifier.y, size: layout.identifier.size, font: regular });
  const png = await doc.embedPng(await QRCode.toBuffer(request.verificationUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 4 }));
  page.drawImage(png, { x: layout.qr.x, y: layout.qr.y, width: layout.qr.size, height: layout.qr.size });
  drawSeal(page, bold, { centerX: layout.seal.x, centerY: layout.seal.y, radius: layout.seal.radius, departmentName: license.issuer.name, purpose: layout.seal.purpose });
  return { doc, regular };
}

/** The license drawn the stock way, unsigned. */
export async function stockRender(request: RenderRequest, fonts: StockFonts): Promise<Uint8Array> {
  return (await draw(request, fonts)).doc.save();
}

/** The same license drawn, given a signature placeholder and signed the stock way. */
export async function stockIssue(request: RenderRequest, fonts: StockFonts, p12: { readonly bytes: Uint8Array; readonly password: string }): Promise<Buffer> {
  const { doc } = await draw(request, fonts);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: request.signature.reason,
    contactInfo: '',
    name: request.signature.signerName,
    location: request.signature.location,
    signingTime: request.signature.signingTime,
    signatureLength: 16_384,
  });
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, new P12Signer(Buffer.from(p12.bytes), { passphrase: p12.password }));
}

/** What the stock copy prints: the band's lines, and the copy's own QR link. */
export interface StockCopyBand {
  readonly statement: string;
  readonly details: readonly string[];
  readonly verificationUrl: string;
}

/**
 * An annotated copy the stock way: pdf-lib loads the original, @pdf-lib/fontkit
 * embeds (and subsets) the font again, the band is drawn across the foot of the
 * page with a PNG QR code, then @signpdf adds a placeholder and signs with
 * @signpdf/signer-p12 (the P12 decrypted on every signature).
 */
export async function stockCopy(original: Uint8Array, band: StockCopyBand, fonts: StockFonts, p12: { readonly bytes: Uint8Array; readonly password: string }): Promise<Buffer> {
  const doc = await PDFDocument.load(original);
  doc.registerFontkit(pdfLibFontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const page = doc.getPage(0);
  const { width } = page.getSize();
  page.drawRectangle({ x: 0, y: 0, width, height: 110, color: rgb(1, 0.965, 0.955), opacity: 0.92 });
  page.drawText(band.statement, { x: 24, y: 88, size: 10, font: regular, color: rgb(0.72, 0.06, 0.06), maxWidth: width - 140, lineHeight: 14 });
  band.details.forEach((line, i) => page.drawText(line, { x: 24, y: 56 - i * 11, size: 7.5, font: regular, color: rgb(0.2, 0.2, 0.2) }));
  const png = await doc.embedPng(await QRCode.toBuffer(band.verificationUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 4 }));
  page.drawImage(png, { x: width - 104, y: 12, width: 84, height: 84 });
  pdflibAddPlaceholder({ pdfDoc: doc, reason: '加注件', contactInfo: '', name: 'copy', location: '', signingTime: new Date(), signatureLength: 16_384 });
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, new P12Signer(Buffer.from(p12.bytes), { passphrase: p12.password }));
}
