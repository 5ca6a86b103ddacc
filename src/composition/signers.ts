import { P12SignerProvider } from '../adapters/pki/p12/p12-signer-provider.js';
import { requirePkcs11, type Config } from '../config/index.js';
import type { SignerProvider } from '../modules/signing/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** The department signers the configuration asks for, and how to let go of them at shutdown. */
export interface ConfiguredSigners {
  readonly signers: SignerProvider;
  close(): Promise<void>;
}

/**
 * VAULT_SIGNER=p12: key stores under the certs directory, opened with the
 * P12 password. VAULT_SIGNER=pkcs11: keys in the configured token, reached
 * through one PKCS#11 library for the whole process. The native PKCS#11
 * binding is imported only then, and the vendor library is loaded only when
 * the first signature is asked for.
 */
export async function configureSigners(config: Config, p12Password: string | undefined, clock: Clock, logger: Logger): Promise<ConfiguredSigners> {
  if (config.signer === 'p12') return { signers: new P12SignerProvider(config.certsDir, p12Password ?? '', clock), close: async () => undefined };
  const settings = requirePkcs11(config, 'VAULT_SIGNER=pkcs11');
  const { Pkcs11Library, Pkcs11SignerProvider } = await import('../adapters/pki/pkcs11/index.js');
  const library = new Pkcs11Library(settings.library);
  const signers = new Pkcs11SignerProvider({ library, tokenLabel: settings.tokenLabel, pin: settings.pin, certsDir: config.certsDir, clock, logger });
  logger.info('department keys are in a PKCS#11 token', { library: settings.library, token: settings.tokenLabel });
  return {
    signers,
    close: async () => {
      await signers.close();
      await library.close();
    },
  };
}
