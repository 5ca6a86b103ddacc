import type { Signer } from './signer.js';

/** Finds a department's signer (a P12 under the certs directory today, an HSM key later). */
export interface SignerProvider {
  /** Rejects with a SigningError saying why the department cannot sign. */
  signerFor(departmentCreditCode: string): Promise<Signer>;
}
