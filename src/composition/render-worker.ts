import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { PdfLibLicenseRenderer } from '../adapters/pdf/license-renderer.js';
import { qrcodeEncoder } from '../adapters/qr/qrcode-encoder.js';
import type { RenderOutcome, RenderWorkerData } from '../adapters/workers/render-pool.js';
import type { RenderRequest } from '../modules/templates/index.js';
import { isVaultError } from '../shared/errors.js';

/** One render thread (adapters/workers/render-pool): the fonts are parsed once per thread, from memory shared with the others. */
const { fonts } = workerData as RenderWorkerData;
const renderer = new PdfLibLicenseRenderer({ regular: new Uint8Array(fonts.regular), bold: new Uint8Array(fonts.bold) }, qrcodeEncoder);

export default async function render(request: RenderRequest): Promise<RenderOutcome> {
  try {
    // The PDF's buffer moves to the main thread rather than being copied.
    return move(await renderer.render(request)) as Uint8Array;
  } catch (error) {
    if (!isVaultError(error)) throw error;
    return { error: { kind: error.name, code: error.code, message: error.message, details: error.details } };
  }
}
