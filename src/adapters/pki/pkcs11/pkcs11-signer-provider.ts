import type { Signer, SignerProvider } from '../../../modules/signing/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { SigningError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import { readDepartmentChain } from './chain-file.js';
import { deviceError } from './device-errors.js';
import type { Pkcs11Library } from './library.js';
import { openTokenSigner } from './pkcs11-signer.js';
import { Pkcs11Token } from './token.js';

export interface Pkcs11SignerProviderOptions {
  /** The process's one handle on the PKCS#11 module; its owner closes it. */
  readonly library: Pkcs11Library;
  readonly tokenLabel: string;
  /** The user PIN. Never logged, never in an error. */
  readonly pin: string;
  /** VAULT_CERTS_DIR: the departments' public chains are `departments/{signingKey}.pem` there. */
  readonly certsDir: string;
  readonly clock: Clock;
  /** One error line per failure, naming the code, the key and the token. */
  readonly logger: Logger;
  /** Concurrent signatures (one session each). */
  readonly sessions?: number;
}

/** Failures of the device itself, after which the connection is started afresh. */
const DEVICE_FAULTS: ReadonlySet<SigningError['code']> = new Set(['ERR_SIGNER_UNAVAILABLE', 'ERR_SIGNER_TOKEN_MISSING', 'ERR_SIGNER_PIN']);

/**
 * Department signers whose keys live in one PKCS#11 token (found by label),
 * each key named by its certificate: the chain in
 * `departments/{signingKey}.pem`, the key the private-key object whose
 * CKA_ID is the certificate's key identifier.
 *
 * Fails closed and keeps nothing broken: the token (login and sessions) and
 * each department's signer are opened once and reused until something
 * fails. A device fault (wrong PIN, token gone, a failing call) drops them
 * and restarts the library connection, so the next request reconnects
 * (and rescans the slots) and works once the fault is fixed; other
 * failures (no chain file, an expired certificate) are simply not cached.
 */
export class Pkcs11SignerProvider implements SignerProvider {
  #token: Promise<Pkcs11Token> | null = null;
  /** The token `#token` resolved to, once it has. */
  #openToken: Pkcs11Token | null = null;
  readonly #signers = new Map<string, Promise<Signer>>();

  constructor(private readonly options: Pkcs11SignerProviderOptions) {}

  signerFor(signingKey: string): Promise<Signer> {
    const cached = this.#signers.get(signingKey);
    if (cached) return cached;
    const forget = (): void => {
      if (this.#signers.get(signingKey) === opened) this.#signers.delete(signingKey);
    };
    const opened: Promise<Signer> = this.open(signingKey, forget);
    this.#signers.set(signingKey, opened);
    opened.catch(forget);
    return opened;
  }

  /** Logs out and closes the sessions; the library is its owner's to close. */
  async close(): Promise<void> {
    const token = this.#token;
    this.#token = null;
    this.#openToken = null;
    this.#signers.clear();
    if (token) (await token.catch(() => null))?.close();
  }

  private async open(signingKey: string, forget: () => void): Promise<Signer> {
    let token: Pkcs11Token | undefined;
    try {
      const certificateChain = await readDepartmentChain(this.options.certsDir, signingKey);
      token = await this.token();
      const signedOn = token;
      return await openTokenSigner({
        token,
        certificateChain,
        clock: this.options.clock,
        onFailure: (error) => {
          forget();
          this.failed(error, signingKey, signedOn);
        },
      });
    } catch (error) {
      const failure = deviceError(error, { call: 'opening the signer', tokenLabel: this.options.tokenLabel });
      this.failed(failure, signingKey, token);
      throw failure;
    }
  }

  /** The token, logged in, shared by every department; a failed opening is retried on the next call. */
  private token(): Promise<Pkcs11Token> {
    if (this.#token) return this.#token;
    const opening = (async () => {
      const connection = await this.options.library.connection();
      try {
        return await Pkcs11Token.open(connection, { label: this.options.tokenLabel, pin: this.options.pin, ...(this.options.sessions ? { sessions: this.options.sessions } : {}) });
      } catch (error) {
        // Whatever was wrong (PIN, token absent), the module is initialised afresh next time.
        this.options.library.restart(connection);
        throw error;
      }
    })();
    this.#token = opening;
    opening.then(
      (token) => {
        if (this.#token === opening) this.#openToken = token;
      },
      () => {
        if (this.#token === opening) this.#token = null;
      },
    );
    return opening;
  }

  /** One log line per failure; after a device fault on the current token, drop it and every signer on it, and restart the connection. */
  private failed(error: SigningError, signingKey: string, token: Pkcs11Token | undefined): void {
    this.options.logger.error('PKCS#11 signer failed', { code: error.code, signingKey, token: this.options.tokenLabel, detail: error.message });
    if (!token || !DEVICE_FAULTS.has(error.code)) return;
    this.options.library.restart(token.connection);
    if (this.#openToken !== token) return;
    this.#token = null;
    this.#openToken = null;
    this.#signers.clear();
    token.close();
  }
}
