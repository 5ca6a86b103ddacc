import { workerData } from 'node:worker_threads';
import { PdfLibLicenseRenderer } from '../adapters/pdf/license-renderer.js';
import { PdfiumFaceRenderer } from '../adapters/pdfium/pdfium-face-renderer.js';
import { StrictPdfSignatureVerifier } from '../adapters/pki/verifier/strict-pdf-verifier.js';
import { certificateToPem, summarizeCertificate } from '../adapters/pki/x509/index.js';
import { qrcodeEncoder } from '../adapters/qr/qrcode-encoder.js';
import { movePreparedPdf, ownBuffer, type RenderOutcome, type VaultWorkerData } from '../adapters/workers/worker-pool.js';
import type { RenderRequest } from '../modules/templates/index.js';
import type { SignatureVerdict } from '../modules/verification/index.js';
import { move } from 'piscina';
import { systemClock } from '../shared/clock.js';
import { isVaultError } from '../shared/errors.js';

/** One worker thread (adapters/workers/worker-pool): the fonts are parsed once per thread, from memory shared with the others. */
const { fonts, trustedRoots } = workerData as VaultWorkerData;
const renderer = new PdfLibLicenseRenderer({ regular: new Uint8Array(fonts.regular), bold: new Uint8Array(fonts.bold) }, qrcodeEncoder);
const roots = trustedRoots.map((der) => ({ der, pem: certificateToPem(der), summary: summarizeCertificate(der) }));
const verifier = new StrictPdfSignatureVerifier({ trustedRoots: () => roots, clock: systemClock });

export async function render(request: RenderRequest): Promise<RenderOutcome> {
  try {
    return movePreparedPdf(await renderer.render(request));
  } catch (error) {
    if (!isVaultError(error)) throw error;
    return { error: { code: error.code, message: error.message, details: error.details } };
  }
}

export function verify(pdf: Uint8Array): Promise<SignatureVerdict> {
  return verifier.verify(pdf);
}

/** PDFium's WebAssembly is loaded on a thread's first face. */
const faces = new PdfiumFaceRenderer();

/** A license's face as PNG; its memory moves back to the main thread. */
export async function face(pdf: Uint8Array): Promise<Uint8Array> {
  const png = ownBuffer(await faces.render(pdf));
  return move(png) as unknown as Uint8Array;
}
