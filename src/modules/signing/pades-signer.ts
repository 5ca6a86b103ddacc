import { createHash } from 'node:crypto';
import { fillByteRange, fillSignature, locateSignaturePlaceholder, PlaceholderError, sameLocation, signedRanges, type PreparedPdf } from '../../lib/pdf-bytes/index.js';
import { SigningError } from '../../shared/errors.js';
import type { CmsSignatureBuilder } from './cms.js';
import type { Signer } from './signer.js';

/** The vault's code for a placeholder fault: always the vault's own, as it prepared the file. */
function signingErrorOf(error: unknown): unknown {
  if (!(error instanceof PlaceholderError)) return error;
  const code = error.reason === 'missing' ? 'ERR_PDF_NO_SIGNATURE_PLACEHOLDER' : 'ERR_PDF_SIGNATURE_TOO_LARGE';
  return new SigningError(code, error.message, error.details, { cause: error });
}

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
   * @throws SigningError ERR_PDF_NO_SIGNATURE_PLACEHOLDER when the file has no placeholder, or not where `prepared` says (a fault of
   * the vault's renderer, never of the signature); ERR_PDF_SIGNATURE_TOO_LARGE when the CMS does not fit.
   */
  async sign(prepared: PreparedPdf, signer: Signer): Promise<Uint8Array> {
    try {
      const { placeholder } = prepared;
      const found = locateSignaturePlaceholder(prepared.pdf);
      if (!sameLocation(found, placeholder)) {
        throw new SigningError('ERR_PDF_NO_SIGNATURE_PLACEHOLDER', 'The signature placeholder is not where the renderer says it put it', {
          rendered: placeholder,
          found,
        });
      }
      const pdf = fillByteRange(prepared.pdf, placeholder);
      const hash = createHash('sha256');
      for (const range of signedRanges(pdf, placeholder)) hash.update(range);
      const cms = await this.cms.createDetachedSignature(hash.digest(), signer);
      return fillSignature(pdf, placeholder, cms);
    } catch (error) {
      throw signingErrorOf(error);
    }
  }
}
