import type { Signer } from './signer.js';

/** Builds the detached CMS SignedData (CAdES baseline B-B) over content whose SHA-256 is `contentDigest`. */
export interface CmsSignatureBuilder {
  createDetachedSignature(contentDigest: Uint8Array, signer: Signer): Promise<Uint8Array>;
}
