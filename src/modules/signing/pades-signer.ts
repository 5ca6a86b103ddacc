import { createHash } from 'node:crypto';
import { fillByteRange, fillSignature, locateSignaturePlaceholder, PlaceholderError, sameLocation, signedRanges, type PreparedPdf } from '../../lib/pdf-bytes/index.js';
import { isVaultError, SigningError } from '../../shared/errors.js';
import type { CmsSignatureBuilder } from './cms.js';
import type { Signer } from './signer.js';

/**
 * Signs a PDF that already carries a signature placeholder (PAdES baseline
 * B-B): fixes the byte range to the whole file but the /Contents gap, hashes
 * the two ranges, builds the detached CMS and writes it into the gap. The
 * PDF is not re-serialised, so signing costs a hash and one private-key
 * operation.
 *
 * The placeholder's offsets come from whoever wrote it (the renderer); the
 * locator reads the bytes again as a check before anything is signed.
 */
export class PadesSigner {
  constructor(private readonly cms: CmsSignatureBuilder) {}

  /**
   * @throws SigningError ERR_SIGNING_FAILED when the file has no placeholder, or not where `prepared` says (a fault of the vault's
   * renderer, never of the signature), the signature does not fit it, or the CMS cannot be built; the signer's own SigningErrors
   * (key, device) pass through.
   */
  async sign(prepared: PreparedPdf, signer: Signer): Promise<Uint8Array> {
    try {
      return await this.signPlaceholder(prepared, signer);
    } catch (error) {
      if (isVaultError(error)) throw error;
      if (error instanceof PlaceholderError) throw new SigningError('ERR_SIGNING_FAILED', error.message, error.details, { cause: error });
      throw new SigningError('ERR_SIGNING_FAILED', `the license could not be signed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
    }
  }

  private async signPlaceholder(prepared: PreparedPdf, signer: Signer): Promise<Uint8Array> {
    const { placeholder } = prepared;
    const found = locateSignaturePlaceholder(prepared.pdf);
    if (!sameLocation(found, placeholder)) {
      throw new SigningError('ERR_SIGNING_FAILED', 'The signature placeholder is not where the renderer says it put it', { rendered: placeholder, found });
    }
    const pdf = fillByteRange(prepared.pdf, placeholder);
    const hash = createHash('sha256');
    for (const range of signedRanges(pdf, placeholder)) hash.update(range);
    const cms = await this.cms.createDetachedSignature(hash.digest(), signer);
    return fillSignature(pdf, placeholder, cms);
  }
}
