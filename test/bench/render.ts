/**
 * `npm run bench:render`: Chinese licenses rendered per second on one core,
 * ours against a plain pdf-lib + @pdf-lib/fontkit + PNG QR pipeline drawing
 * the same license (same texts, positions, seal, QR), in the same run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import pdfLibFontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { PdfLibLicenseRenderer } from '../../src/adapters/pdf/license-renderer.js';
import { drawSeal } from '../../src/adapters/pdf/seal.js';
import { qrcodeEncoder } from '../../src/adapters/qr/qrcode-encoder.js';
import { loadTemplateDirectory } from '../../src/adapters/templates/template-directory.js';
import { buildLicenseIdentifier } from '../../src/modules/identity/index.js';
import { itemText, validateFaceFields, wrapText, type RenderRequest } from '../../src/modules/templates/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { format, opsPerSecond } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const require = createRequire(import.meta.url);
const fonts = {
  regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
  bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
};

/** The plain pipeline a team would write first: fonts handed to pdf-lib each time, PNG QR, default save. */
async function plainRender(request: RenderRequest): Promise<Uint8Array> {
  const { template, license, fields } = request;
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const page = doc.addPage([595.28, 841.89]);
  const { layout } = template;
  page.drawRectangle({ x: layout.border.inset, y: layout.border.inset, width: 595.28 - 2 * layout.border.inset, height: 841.89 - 2 * layout.border.inset, borderColor: rgb(0.55, 0.1, 0.1), borderWidth: layout.border.width });
  page.drawText(layout.title.text, { x: layout.title.x - bold.widthOfTextAtSize(layout.title.text, layout.title.size) / 2, y: layout.title.y, size: layout.title.size, font: bold });
  for (const item of layout.items) {
    const { label, text } = itemText(item, template, license, fields);
    page.drawText(`${label}：`, { x: item.x, y: item.y, size: item.size, font: regular });
    wrapText(text, item.maxWidth, (t) => regular.widthOfTextAtSize(t, item.size)).forEach((line, i) => page.drawText(line, { x: item.x + item.labelWidth, y: item.y - i * item.size * 1.4, size: item.size, font: regular }));
  }
  page.drawText(`电子证照标识：${license.identifier}`, { x: layout.identifier.x, y: layout.identifier.y, size: layout.identifier.size, font: regular });
  const png = await doc.embedPng(await QRCode.toBuffer(request.verificationUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 4 }));
  page.drawImage(png, { x: layout.qr.x, y: layout.qr.y, width: layout.qr.size, height: layout.qr.size });
  drawSeal(page, bold, { centerX: layout.seal.x, centerY: layout.seal.y, radius: layout.seal.radius, departmentName: license.issuer.name, purpose: layout.seal.purpose });
  return doc.save();
}

async function main(): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  const catalog = await loadTemplateDirectory(new URL('../../templates', import.meta.url).pathname, systemClock);
  const template = catalog.latest().find((t) => t.id === 'teacher-qualification') ?? catalog.latest()[0];
  if (!template) throw new Error('no template');
  const identifier = buildLicenseIdentifier({ typeCode: template.catalogue.typeCode, issuerCreditCode: '11350100DEM000014R', serial: 'B000000001', version: 1 });
  const request: RenderRequest = {
    template,
    fields: validateFaceFields(template, template.example.fields),
    license: {
      identifier,
      licenseNumber: '3501002026000001',
      typeCode: template.catalogue.typeCode,
      holder: { type: template.catalogue.holderType, number: template.example.holder.id, name: template.example.holder.name },
      issuer: { name: '福州市教育局', creditCode: '11350100DEM000014R' },
      issueDate: '2026-11-21',
      validFrom: '2026-11-21',
      validUntil: null,
    },
    verificationUrl: `https://zzk.example.gov.cn/v/${identifier}?c=Q7mZ4xK2pV9sT3wN6yR8dA`,
    seal: { kind: 'drawn', departmentName: '福州市教育局' },
    signature: { fieldName: 'Signature1', signingTime: new Date(), reason: '颁发电子证照', location: '福州', signerName: '福州市教育局' },
  };
  out(`render benchmark: ${template.catalogue.name}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}, ${SECONDS} s per side, one core`);
  const renderer = new PdfLibLicenseRenderer(fonts, qrcodeEncoder);
  const oursSize = (await renderer.render(request)).length;
  const ours = await opsPerSecond(() => renderer.render(request), SECONDS);
  out(`ours: ${format(ours.perSecond)} licenses/s (${ours.count} in ${format(ours.ms)} ms), ${(oursSize / 1024).toFixed(0)} KiB each, signature placeholder included`);
  const plainSize = (await plainRender(request)).length;
  const plain = await opsPerSecond(() => plainRender(request), SECONDS);
  out(`plain pdf-lib + @pdf-lib/fontkit + PNG QR: ${format(plain.perSecond)} licenses/s (${plain.count} in ${format(plain.ms)} ms), ${(plainSize / 1024).toFixed(0)} KiB each`);
  out(`ratio ours/plain: ${format(ours.perSecond / plain.perSecond)}x`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
