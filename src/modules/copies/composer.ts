import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import type { CopyBand } from './band.js';
import type { CopyMetadata } from './metadata.js';

/** What a copy is made of: the original's signed bytes, the band, the metadata and the copy's own QR link. */
export interface CopyComposition {
  /** The original license PDF as the vault stored it, read only if the composer does not hold its page already (by `metadata.originalSha256`). */
  readonly original: () => Promise<Uint8Array>;
  readonly metadata: CopyMetadata;
  readonly band: CopyBand;
  /** `{VAULT_PUBLIC_URL}/v/copy/{copyId}?c={code}`, encoded in the copy's QR code. */
  readonly verificationUrl: string;
  /** The signature placeholder's /M. */
  readonly signingTime: Date;
}

/**
 * Builds an unsigned annotated copy: a new one-page PDF showing the
 * original's page as it is, with the band, carrying the metadata and a
 * signature placeholder; never the original's own signature.
 * @throws TemplateError ERR_RENDER_GLYPH_MISSING for band text the font cannot print; ERR_RENDER_FAILED when the original cannot be read.
 */
export interface CopyComposer {
  compose(composition: CopyComposition): Promise<PreparedPdf>;
}
