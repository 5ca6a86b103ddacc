import { createHash } from 'node:crypto';
import {
  closePath,
  fill,
  lineTo,
  moveTo,
  PDFImage,
  PngEmbedder,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  degrees,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';

/** Seal red (印泥红). */
export const SEAL_RED = rgb(0.86, 0.08, 0.1);

export interface DrawnSeal {
  readonly centerX: number;
  readonly centerY: number;
  readonly radius: number;
  /** Along the upper arc, left to right. */
  readonly departmentName: string;
  /** Straight, below the star, e.g. 电子证照专用章. */
  readonly purpose: string;
}

function drawStar(page: PDFPage, cx: number, cy: number, outer: number): void {
  const inner = outer * 0.382;
  const points = Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = Math.PI / 2 + (i * Math.PI) / 5;
    return [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)] as const;
  });
  const [first, ...rest] = points;
  if (!first) return;
  page.pushOperators(pushGraphicsState(), setFillingColor(SEAL_RED), moveTo(first[0], first[1]), ...rest.map(([x, y]) => lineTo(x, y)), closePath(), fill(), popGraphicsState());
}

/**
 * The department's round red seal as vector graphics: a ring, the
 * department name along the upper arc (characters upright to the ring), a
 * five-pointed star in the centre and the seal's purpose below it.
 */
export function drawSeal(page: PDFPage, font: PDFFont, seal: DrawnSeal): void {
  const { centerX: cx, centerY: cy, radius } = seal;
  const ring = radius * 0.05;
  page.drawCircle({ x: cx, y: cy, size: radius - ring / 2, borderColor: SEAL_RED, borderWidth: ring });

  const characters = [...seal.departmentName];
  const size = Math.min(radius * 0.2, (radius * 4.2) / Math.max(characters.length, 1));
  const textRadius = radius - ring - radius * 0.06 - size;
  const step = (size * 1.12) / textRadius;
  const spread = Math.min((250 * Math.PI) / 180, step * Math.max(characters.length - 1, 0));
  characters.forEach((character, i) => {
    const angle = Math.PI / 2 + spread / 2 - (characters.length > 1 ? (i * spread) / (characters.length - 1) : 0);
    const rotation = angle - Math.PI / 2;
    const width = font.widthOfTextAtSize(character, size);
    page.drawText(character, {
      x: cx + textRadius * Math.cos(angle) - (width / 2) * Math.cos(rotation),
      y: cy + textRadius * Math.sin(angle) - (width / 2) * Math.sin(rotation),
      size,
      font,
      color: SEAL_RED,
      rotate: degrees((rotation * 180) / Math.PI),
    });
  });

  drawStar(page, cx, cy, radius * 0.26);
  const purposeSize = radius * 0.15;
  const purposeWidth = font.widthOfTextAtSize(seal.purpose, purposeSize);
  page.drawText(seal.purpose, { x: cx - purposeWidth / 2, y: cy - radius * 0.55, size: purposeSize, font, color: SEAL_RED });
}

/** Where a seal goes: the template's seal circle. */
export interface SealPlace {
  readonly centerX: number;
  readonly centerY: number;
  readonly radius: number;
}

/** Decoded pixels kept per thread, at most this many in all (4 bytes each), oldest first out. */
const KEPT_PIXELS = 8 * 1024 * 1024;
const decoded = new Map<string, { readonly pixels: number; readonly embedder: Promise<PngEmbedder> }>();

/** The PNG decoded once per thread and content, not once per license (decoding costs 5–20 ms a seal). */
function embedderFor(png: Uint8Array): Promise<PngEmbedder> {
  const id = createHash('sha256').update(png).digest('base64');
  const kept = decoded.get(id);
  if (kept) return kept.embedder;
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const pixels = view.length >= 24 ? view.readUInt32BE(16) * view.readUInt32BE(20) : 0;
  const embedder = PngEmbedder.for(png);
  decoded.set(id, { pixels, embedder });
  embedder.catch(() => decoded.delete(id));
  let total = [...decoded.values()].reduce((sum, entry) => sum + entry.pixels, 0);
  for (const [key, entry] of decoded) {
    if (total <= KEPT_PIXELS || key === id) break;
    decoded.delete(key);
    total -= entry.pixels;
  }
  return embedder;
}

/**
 * The department's seal image in place of the drawn seal: fitted into the
 * seal circle's square, centred, its aspect ratio kept; transparent pixels
 * stay transparent (an SMask).
 */
export async function drawSealImage(doc: PDFDocument, page: PDFPage, png: Uint8Array, place: SealPlace): Promise<void> {
  const image = PDFImage.of(doc.context.nextRef(), doc, await embedderFor(png));
  await image.embed();
  const side = place.radius * 2;
  const scale = Math.min(side / image.width, side / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  page.drawImage(image, { x: place.centerX - width / 2, y: place.centerY - height / 2, width, height });
}
