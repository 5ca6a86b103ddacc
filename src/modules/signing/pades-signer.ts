import { createHash } from 'node:crypto';
import { isVaultError, SigningError } from '../../shared/errors.js';
import type { CmsSignatureBuilder } from './cms.js';
import { fillByteRange, fillSignature, locateSignaturePlaceholder, signedRanges } from './pdf-placeholder.js';
import type { Signer } from './signer.js';

/**
 * Signs a PDF that already carries a signature placeholder (PAdES baseline
 * B-B): fixes the byte range to the whole file but the /Contents gap, hashes
 * the two ranges, builds the detached CMS and writes it into the gap. The
 * PDF is not re-serialised, so signing costs a hash and one private-key
 * operation.
 */
export class PadesSigner {
  constructor(private readonly cms: CmsSignatureBuilder) {}

  /**
   * @throws SigningError ERR_SIGNING_FAILED when the file has no usable placeholder, the signature does not fit it,
   * or the CMS cannot be built; the signer's own SigningErrors (key, device) pass through.
   */
  async sign(prepared: Uint8Array, signer: Signer): Promise<Uint8Array> {
    try {
      return await this.signPlaceholder(prepared, signer);
    } catch (error) {
      if (isVaultError(error)) throw error;
      throw new SigningError('ERR_SIGNING_FAILED', `the license could not be signed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
    }
  }

  private async signPlaceholder(prepared: Uint8Array, signer: Signer): Promise<Uint8Array> {
    const location = locateSignaturePlaceholder(prepared);
    const pdf = fillByteRange(prepared, location);
    const hash = createHash('sha256');
    for (const range of signedRanges(pdf, location)) hash.update(range);
    const cms = await this.cms.createDetachedSignature(hash.digest(), signer);
    return fillSignature(pdf, location, cms);
  }
}
