import QRCode from 'qrcode';
import type { QrEncoder, QrMatrix } from '../../modules/templates/index.js';

/** QR codes from the `qrcode` package, error correction level M (15%), as a bare module matrix. */
export const qrcodeEncoder: QrEncoder = {
  encode(text: string): QrMatrix {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    return { size: modules.size, modules: Uint8Array.from(modules.data) };
  },
};
