/**
 * `npm run bench:render`: Chinese licenses rendered per second on one core,
 * ours against a plain pdf-lib + @pdf-lib/fontkit + PNG QR pipeline drawing
 * the same license (same texts, positions, seal, QR), in the same run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { PdfLibLicenseRenderer } from '../../src/adapters/pdf/license-renderer.js';
import { qrcodeEncoder } from '../../src/adapters/qr/qrcode-encoder.js';
import { loadTemplateDirectory } from '../../src/adapters/templates/template-directory.js';
import { systemClock } from '../../src/shared/clock.js';
import { format, opsPerSecond } from './measure.js';
import { stockRender } from './peers/stock-pipeline.js';
import { sampleRenderRequest } from './sample-request.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const require = createRequire(import.meta.url);
const fonts = {
  regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
  bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
};

async function main(): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  const catalog = await loadTemplateDirectory(new URL('../../templates', import.meta.url).pathname, systemClock);
  const template = catalog.latest().find((t) => t.id === 'teacher-qualification') ?? catalog.latest()[0];
  if (!template) throw new Error('no template');
  const request = sampleRenderRequest(template);
  out(`render benchmark: ${template.catalogue.name}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}, ${SECONDS} s per side, one core`);
  const renderer = new PdfLibLicenseRenderer(fonts, qrcodeEncoder);
  const oursSize = (await renderer.render(request)).pdf.length;
  const ours = await opsPerSecond(() => renderer.render(request), SECONDS);
  out(`ours: ${format(ours.perSecond)} licenses/s (${ours.count} in ${format(ours.ms)} ms), ${(oursSize / 1024).toFixed(0)} KiB each, signature placeholder included`);
  const plainSize = (await stockRender(request, fonts)).length;
  const plain = await opsPerSecond(() => stockRender(request, fonts), SECONDS);
  out(`plain pdf-lib + @pdf-lib/fontkit + PNG QR: ${format(plain.perSecond)} licenses/s (${plain.count} in ${format(plain.ms)} ms), ${(plainSize / 1024).toFixed(0)} KiB each`);
  out(`ratio ours/plain: ${format(ours.perSecond / plain.perSecond)}x`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
