import QRCode from 'qrcode';
import type { QrEncoder, QrMatrix } from '../../modules/templates/index.js';

/** QR codes from the `qrcode` package, error correction level M (15%), as a bare module matrix. */
export const qrcodeEncoder: QrEncoder = {
  encode(text: string): QrMatrix {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    return { size: modules.size, modules: Uint8Array.from(modules.data) };
  },
};

/**
 * The same codes with the mask pattern fixed instead of chosen: choosing
 * scores all eight masks and costs ~1 ms a code, fixing one ~0.1 ms. Every
 * decoder reads any of the eight; a chosen mask only avoids patterns that
 * are harder to scan in poor conditions. For codes made per request
 * (annotated copies), printed large on a clean page.
 */
export const fixedMaskQrEncoder: QrEncoder = {
  encode(text: string): QrMatrix {
    // One byte-mode segment: the package would otherwise search for the shortest mix of modes, which costs as much again.
    const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern: 2 });
    return { size: modules.size, modules: Uint8Array.from(modules.data) };
  },
};
