import { concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, type PDFDocument, type PDFPage } from 'pdf-lib';
import type { QrMatrix } from '../../modules/templates/index.js';

/** Light modules around the code, as the QR standard requires. */
const QUIET_ZONE = 4;

/**
 * Draws a QR code as a 1-bit DeviceGray image, one pixel per module
 * (a PNG costs ~4× more to embed): `size` points square at (x, y).
 */
export function drawQrImage(doc: PDFDocument, page: PDFPage, qr: QrMatrix, box: { x: number; y: number; size: number }): void {
  const width = qr.size + 2 * QUIET_ZONE;
  const rowBytes = Math.ceil(width / 8);
  const bits = new Uint8Array(rowBytes * width).fill(0xff);
  for (let row = 0; row < qr.size; row += 1) {
    for (let column = 0; column < qr.size; column += 1) {
      if (qr.modules[row * qr.size + column]) {
        const x = column + QUIET_ZONE;
        const offset = (row + QUIET_ZONE) * rowBytes + (x >> 3);
        bits[offset] = (bits[offset] ?? 0) & ~(0x80 >> (x & 7));
      }
    }
  }
  const image = doc.context.register(
    doc.context.stream(bits, { Type: 'XObject', Subtype: 'Image', Width: width, Height: width, ColorSpace: 'DeviceGray', BitsPerComponent: 1, Interpolate: false }),
  );
  const name = page.node.newXObject('QR', image);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(box.size, 0, 0, box.size, box.x, box.y), drawObject(name), popGraphicsState());
}
