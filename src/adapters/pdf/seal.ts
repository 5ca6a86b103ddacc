import { createHash } from 'node:crypto';
import {
  closePath,
  fill,
  lineTo,
  moveTo,
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFObjectCopier,
  PDFRawStream,
  PngEmbedder,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  degrees,
  type PDFFont,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { TemplateError } from '../../shared/errors.js';
import { deflateNewStreamsNatively } from './native-deflate.js';
import { checkPngStructure, PngStructureError } from './png-structure.js';

/** Largest width and height of a seal image in pixels (a 42 mm seal at 600 dpi is 992 px); decoded, each pixel takes 4 bytes. */
export const MAX_SEAL_IMAGE_SIDE = 1024;

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

/** A seal image as a thread keeps it: its image XObject (colour, and an SMask for transparency), decoded and compressed once, in a document of its own to copy from. */
interface PreparedSeal {
  readonly source: PDFDocument;
  readonly image: PDFObject;
  readonly width: number;
  readonly height: number;
  /** Compressed bytes held. */
  readonly bytes: number;
}

/** Compressed seal images kept per thread, at most this many bytes in all, the oldest dropped first. */
const KEPT_BYTES = 32 * 1024 * 1024;
const prepared = new Map<string, Promise<PreparedSeal>>();
const sizes = new Map<string, number>();

async function prepare(png: Uint8Array): Promise<PreparedSeal> {
  try {
    // Checked again here, once per image, so that no damaged PNG ever reaches pdf-lib's decoder, which can loop on one.
    checkPngStructure(png, MAX_SEAL_IMAGE_SIDE);
  } catch (error) {
    if (error instanceof PngStructureError) throw new TemplateError('ERR_SEAL_IMAGE_UNUSABLE', `seal image: ${error.message}`);
    throw error;
  }
  const embedder = await PngEmbedder.for(png);
  const source = await PDFDocument.create({ updateMetadata: false });
  deflateNewStreamsNatively(source);
  const image = source.context.lookup(await embedder.embedIntoContext(source.context));
  if (!image) throw new TypeError('pdf-lib embedded no image');
  let bytes = 0;
  for (const [, object] of source.context.enumerateIndirectObjects()) if (object instanceof PDFRawStream) bytes += object.contents.length;
  return { source, image, width: embedder.width, height: embedder.height, bytes };
}

/**
 * The PNG decoded and compressed once per thread and content, not once per
 * license: decoding costs 5–20 ms a seal, and pdf-lib deflates images with
 * pako, in JavaScript (25 ms for a 300 px seal with transparency).
 */
function preparedSeal(png: Uint8Array): Promise<PreparedSeal> {
  const id = createHash('sha256').update(png).digest('base64');
  const kept = prepared.get(id);
  if (kept) return kept;
  const made = prepare(png);
  prepared.set(id, made);
  made.then(
    (seal) => {
      if (prepared.get(id) !== made) return;
      sizes.set(id, seal.bytes);
      let total = [...sizes.values()].reduce((sum, size) => sum + size, 0);
      for (const [key, size] of sizes) {
        if (total <= KEPT_BYTES || key === id) break;
        prepared.delete(key);
        sizes.delete(key);
        total -= size;
      }
    },
    () => prepared.delete(id),
  );
  return made;
}

/**
 * The department's seal image in place of the drawn seal: fitted into the
 * seal circle's square, centred, its aspect ratio kept; transparent pixels
 * stay transparent (an SMask).
 */
export async function drawSealImage(doc: PDFDocument, page: PDFPage, png: Uint8Array, place: SealPlace): Promise<void> {
  const seal = await preparedSeal(png);
  const image = doc.context.register(PDFObjectCopier.for(seal.source.context, doc.context).copy(seal.image));
  const side = place.radius * 2;
  const scale = Math.min(side / seal.width, side / seal.height);
  const width = seal.width * scale;
  const height = seal.height * scale;
  const name = page.node.newXObject('Seal', image);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(width, 0, 0, height, place.centerX - width / 2, place.centerY - height / 2),
    drawObject(name),
    popGraphicsState(),
  );
}
