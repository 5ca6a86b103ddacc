import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import type { HolderType } from '../identity/index.js';
import type { FaceFields } from './face-fields.js';
import type { LicenseTemplate } from './template.js';

/** What the face shows of a license besides its fields. */
export interface RenderedLicense {
  readonly identifier: string;
  readonly licenseNumber: string;
  readonly typeCode: string;
  readonly holder: { readonly type: HolderType; readonly number: string; readonly name: string };
  readonly issuer: { readonly name: string; readonly creditCode: string };
  /** YYYY-MM-DD (China time). */
  readonly issueDate: string;
  readonly validFrom: string;
  /** null: 长期. */
  readonly validUntil: string | null;
}

/** The department's seal: drawn as vector graphics, or the PNG image configured for it (a department's `sealImage`). */
export type SealSpec = { readonly kind: 'drawn'; readonly departmentName: string } | { readonly kind: 'image'; readonly png: Uint8Array };

/** The seal images departments name in `sealImage`, a path relative to the folder they are kept in. */
export interface SealImageSource {
  /**
   * The PNG's bytes, checked to decode as a seal image of bounded size.
   * @throws TemplateError ERR_SEAL_IMAGE_UNUSABLE saying why (missing, outside the folder, too large, not a PNG).
   */
  load(path: string): Promise<Uint8Array>;
}

export interface RenderRequest {
  readonly template: LicenseTemplate;
  readonly license: RenderedLicense;
  readonly fields: FaceFields;
  /** `{VAULT_PUBLIC_URL}/v/{identifier}?c={code}`, encoded in the QR code. */
  readonly verificationUrl: string;
  readonly seal: SealSpec;
  /** Printed large and repeated across the page when given (样张 of a preview), so that such a face can never pass for a license. */
  readonly watermark?: string;
  /** The signature placeholder the PDF is prepared with; signing fills it in without re-rendering. */
  readonly signature: { readonly fieldName: string; readonly signingTime: Date; readonly reason: string; readonly location: string; readonly signerName: string };
}

/**
 * Turns a license into an unsigned PDF carrying a signature placeholder, and
 * says where in the bytes it wrote that placeholder (signing checks it).
 * Throws TemplateError ERR_RENDER_GLYPH_MISSING when the text holds a character the fonts cannot print (the request's fault),
 * and ERR_RENDER_FAILED for any fault of the vault's own.
 */
export interface LicenseRenderer {
  render(request: RenderRequest): Promise<PreparedPdf>;
}

/** A QR code as a square matrix of dark (1) and light (0) modules, row by row. */
export interface QrMatrix {
  readonly size: number;
  readonly modules: Uint8Array;
}

/** Encodes text as a QR code. */
export interface QrEncoder {
  encode(text: string): QrMatrix;
}

/** Draws the first page of a license PDF (signed, or a preview's) as a PNG image. */
export interface LicenseFaceRenderer {
  render(pdf: Uint8Array): Promise<Uint8Array>;
}
