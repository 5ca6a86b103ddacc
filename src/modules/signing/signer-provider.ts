import type { Signer } from './signer.js';

/** Finds a department's signer by the name of its credential (the department's `signingKey`): a key store, or a key in a PKCS#11 token. */
export interface SignerProvider {
  /** Rejects with a SigningError saying why this key cannot sign (ERR_SIGNER_KEY_MISSING when there is no such key). */
  signerFor(signingKey: string): Promise<Signer>;
}
