import type { Signer, SignerProvider } from '../../../modules/signing/index.js';
import type { Clock } from '../../../shared/clock.js';
import { pkiPaths } from '../pki-directory.js';
import { openP12SignerFile } from './p12-signer.js';

/**
 * Department signers from `departments/{signingKey}.p12`, each decrypted
 * once and kept. A failure is not cached, so a fixed key store is picked up
 * on the next request.
 */
export class P12SignerProvider implements SignerProvider {
  private readonly signers = new Map<string, Promise<Signer>>();

  constructor(
    private readonly certsDir: string,
    private readonly password: string,
    private readonly clock: Clock,
  ) {}

  signerFor(signingKey: string): Promise<Signer> {
    let signer = this.signers.get(signingKey);
    if (!signer) {
      signer = (async () => openP12SignerFile(pkiPaths(this.certsDir).departmentFile(signingKey), this.password, this.clock))();
      this.signers.set(signingKey, signer);
      signer.catch(() => this.signers.delete(signingKey));
    }
    return signer;
  }
}
