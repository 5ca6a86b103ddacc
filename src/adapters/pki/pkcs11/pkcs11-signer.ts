import { createHash, randomBytes, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { CertificateSummary, SignatureAlgorithm, Signer } from '../../../modules/signing/index.js';
import type { Clock } from '../../../shared/clock.js';
import { SigningError } from '../../../shared/errors.js';
import { checkCertificateValidity, checkDocumentSigningUsage } from '../signer-checks.js';
import { keyIdentifierOf, signatureAlgorithmOf, spkiDer, summarizeCertificate } from '../x509/index.js';
import { CK, readUlong, type Handle } from './binding.js';
import { call, callAsync, deviceError } from './device-errors.js';
import { ecdsaSignatureToDer } from './key-encoding.js';
import type { Pkcs11Token } from './token.js';

export interface TokenSignerOptions {
  readonly token: Pkcs11Token;
  /** DER certificates, the department's first, then its issuers. */
  readonly certificateChain: readonly Uint8Array[];
  /** Every signature is refused outside the certificate's validity at `clock.now()`. */
  readonly clock: Clock;
  /** Told of every failed signature before it is rethrown, so the owner can log it and reconnect. */
  readonly onFailure?: (error: SigningError) => void;
}

/** What one signature takes on the token: the mechanism, its input, and how its output becomes the port's format. */
interface SignatureRecipe {
  readonly mechanism: number;
  /** Bytes of the raw signature the token returns. */
  readonly length: number;
  readonly input: (data: Uint8Array) => Buffer;
  readonly output: (raw: Uint8Array) => Uint8Array;
}

function recipeFor(algorithm: SignatureAlgorithm, publicKey: KeyObject): SignatureRecipe {
  if (algorithm === 'RSA-SHA256') {
    // The token hashes and pads (EMSA-PKCS1-v1_5): its output is the signature itself.
    return {
      mechanism: CK.CKM_SHA256_RSA_PKCS,
      length: (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8,
      input: (data) => Buffer.from(data),
      output: (raw) => new Uint8Array(raw),
    };
  }
  // CKM_ECDSA_SHA256 is optional in PKCS#11 (SoftHSM lacks it): hash here, sign the digest on the token.
  return { mechanism: CK.CKM_ECDSA, length: 64, input: (data) => createHash('sha256').update(data).digest(), output: ecdsaSignatureToDer };
}

/** A department key inside a PKCS#11 token: every signature is the token's, through a pooled session. */
class Pkcs11Signer implements Signer {
  readonly #token: Pkcs11Token;
  readonly #key: Handle;
  readonly #recipe: SignatureRecipe;
  readonly #clock: Clock;
  readonly #onFailure: (error: SigningError) => void;
  readonly certificateChain: readonly Uint8Array[];

  constructor(
    options: TokenSignerOptions & { key: Handle; recipe: SignatureRecipe },
    readonly algorithm: SignatureAlgorithm,
    readonly certificate: CertificateSummary,
  ) {
    this.#token = options.token;
    this.#key = options.key;
    this.#recipe = options.recipe;
    this.#clock = options.clock;
    this.#onFailure = options.onFailure ?? (() => undefined);
    this.certificateChain = Object.freeze([...options.certificateChain]);
    Object.freeze(this);
  }

  /**
   * Refuses (ERR_SIGNER_CERT_EXPIRED / _NOT_YET_VALID) outside the
   * certificate's validity, then C_SignInit + C_Sign on a session of its
   * own; C_Sign runs on libuv's thread pool, off the event loop.
   * @throws SigningError ERR_SIGNER_UNAVAILABLE, ERR_SIGNER_TOKEN_MISSING or
   *   ERR_SIGNER_PIN when the token fails.
   */
  async sign(data: Uint8Array): Promise<Uint8Array> {
    try {
      checkCertificateValidity(this.certificate, this.#clock.now());
      return await signOnToken(this.#token, this.#key, this.#recipe, data);
    } catch (error) {
      const failure = deviceError(error, this.#token.context('sign'));
      this.#onFailure(failure);
      throw failure;
    }
  }
}

async function signOnToken(token: Pkcs11Token, key: Handle, recipe: SignatureRecipe, data: Uint8Array): Promise<Uint8Array> {
  const raw = await token.withSession((binding, session) => {
    call(token.context('C_SignInit'), () => binding.C_SignInit(session, { mechanism: recipe.mechanism }, key));
    return callAsync(token.context('C_Sign'), () => binding.C_SignAsync(session, recipe.input(data), Buffer.alloc(recipe.length)));
  });
  return recipe.output(raw);
}

/** The one private key on the token whose CKA_ID is `keyId`, allowed to sign. */
async function findSigningKey(token: Pkcs11Token, keyId: Uint8Array, algorithm: SignatureAlgorithm, subject: string): Promise<Handle> {
  const idHex = Buffer.from(keyId).toString('hex');
  const handles = await token.findObjects([
    { type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY },
    { type: CK.CKA_ID, value: Buffer.from(keyId) },
  ]);
  const [key, ...others] = handles;
  if (key === undefined) {
    throw new SigningError('ERR_SIGNER_KEY_MISSING', `token "${token.label}" holds no private key with CKA_ID ${idHex} (the key of ${subject})`, {
      token: token.label,
      keyId: idHex,
    });
  }
  if (others.length > 0)
    throw new SigningError('ERR_SIGNER_KEY_STORE_INVALID', `token "${token.label}" holds ${handles.length} private keys with CKA_ID ${idHex}`, {
      token: token.label,
      keyId: idHex,
    });
  const attributes = await token.attributes(key, [CK.CKA_KEY_TYPE, CK.CKA_SIGN]);
  const keyType = readUlong(attributes.get(CK.CKA_KEY_TYPE));
  const expected = algorithm === 'RSA-SHA256' ? CK.CKK_RSA : CK.CKK_EC;
  if (keyType !== expected) throw new SigningError('ERR_SIGNER_KEY_MISMATCH', `the token key with CKA_ID ${idHex} is not of the certificate's key type`, { keyId: idHex });
  if (attributes.get(CK.CKA_SIGN)?.[0] !== 1)
    throw new SigningError('ERR_SIGNER_KEY_STORE_INVALID', `the token key with CKA_ID ${idHex} is not allowed to sign (CKA_SIGN false)`, { keyId: idHex });
  return key;
}

function verifies(data: Uint8Array, publicKey: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * A {@link Signer} for the token key of the certificate `certificateChain[0]`:
 * checks the certificate's usage and validity (as the PKCS#12 signer does),
 * finds the private key whose CKA_ID is the certificate's key identifier,
 * and proves key and certificate belong together by signing a random
 * challenge on the token and verifying it with the certificate's public key.
 * @throws SigningError ERR_SIGNER_CERT_USAGE, ERR_SIGNER_CERT_NOT_YET_VALID,
 *   ERR_SIGNER_CERT_EXPIRED, ERR_SIGNER_ALGORITHM, ERR_SIGNER_KEY_MISSING,
 *   ERR_SIGNER_KEY_MISMATCH, ERR_SIGNER_KEY_STORE_INVALID, or a device code.
 */
export async function openTokenSigner(options: TokenSignerOptions): Promise<Signer> {
  const signerDer = options.certificateChain[0];
  if (signerDer === undefined) throw new SigningError('ERR_SIGNER_KEY_STORE_INVALID', 'the certificate chain is empty');
  const summary = summarizeCertificate(signerDer);
  checkDocumentSigningUsage(signerDer, summary.subject);
  checkCertificateValidity(summary, options.clock.now());
  const publicKey = new X509Certificate(signerDer).publicKey;
  const algorithm = signatureAlgorithmOf(publicKey);
  const key = await findSigningKey(options.token, keyIdentifierOf(spkiDer(publicKey)), algorithm, summary.subject);
  const recipe = recipeFor(algorithm, publicKey);

  const challenge = new Uint8Array(randomBytes(32));
  const proof = await signOnToken(options.token, key, recipe, challenge);
  if (!verifies(challenge, publicKey, proof)) {
    throw new SigningError('ERR_SIGNER_KEY_MISMATCH', `the token key does not sign for certificate ${summary.subject}: a test signature fails to verify with its public key`);
  }
  return new Pkcs11Signer({ ...options, key, recipe }, algorithm, summary);
}
