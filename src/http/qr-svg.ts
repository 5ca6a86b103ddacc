import type { QrMatrix } from '../modules/templates/index.js';

/** Quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;
/** Drawn size: large enough to scan from a phone screen held up to a window's scanner. */
const PIXELS = 288;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A QR matrix as a standalone SVG: black modules on white, crisp edges, one path, labelled for screen readers. */
export function qrSvg(matrix: QrMatrix, label: string): string {
  const side = matrix.size + 2 * QUIET_ZONE;
  let path = '';
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.modules[row * matrix.size + column]) path += `M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${PIXELS}" height="${PIXELS}" shape-rendering="crispEdges" role="img" aria-label="${escapeXml(label)}">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
