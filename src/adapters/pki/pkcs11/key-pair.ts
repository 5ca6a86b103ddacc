import { randomBytes, type KeyObject } from 'node:crypto';
import { SigningError } from '../../../shared/errors.js';
import { keyIdentifierOf, RSA_KEY_BITS, spkiDer, type KeyAlgorithm } from '../x509/index.js';
import { CK, type Handle, type Template } from './binding.js';
import { call, callAsync } from './device-errors.js';
import { p256PublicKey, P256_EC_PARAMS, rsaPublicKey } from './key-encoding.js';
import type { Pkcs11Token } from './token.js';

/** A key pair made inside a token: the private half never leaves it. */
export interface TokenKeyPair {
  /** CKA_ID of both objects: the certificate's subjectKeyIdentifier (SHA-1 of the public key bits). */
  readonly keyId: Uint8Array;
  readonly publicKey: KeyObject;
  readonly privateKeyHandle: Handle;
  readonly publicKeyHandle: Handle;
}

const RSA_PUBLIC_EXPONENT = Buffer.from([0x01, 0x00, 0x01]);

/**
 * The private key's template: a token object behind the user's login,
 * sensitive and never extractable (so CKA_ALWAYS_SENSITIVE and
 * CKA_NEVER_EXTRACTABLE hold for its whole life), allowed to sign and
 * nothing else.
 */
function privateKeyTemplate(label: string, id: Uint8Array): Template {
  return [
    { type: CK.CKA_TOKEN, value: true },
    { type: CK.CKA_PRIVATE, value: true },
    { type: CK.CKA_SENSITIVE, value: true },
    { type: CK.CKA_EXTRACTABLE, value: false },
    { type: CK.CKA_SIGN, value: true },
    { type: CK.CKA_DECRYPT, value: false },
    { type: CK.CKA_UNWRAP, value: false },
    { type: CK.CKA_DERIVE, value: false },
    { type: CK.CKA_LABEL, value: label },
    { type: CK.CKA_ID, value: Buffer.from(id) },
  ];
}

function publicKeyTemplate(algorithm: KeyAlgorithm, label: string, id: Uint8Array): Template {
  return [
    { type: CK.CKA_TOKEN, value: true },
    { type: CK.CKA_PRIVATE, value: false },
    { type: CK.CKA_VERIFY, value: true },
    { type: CK.CKA_ENCRYPT, value: false },
    { type: CK.CKA_WRAP, value: false },
    { type: CK.CKA_LABEL, value: label },
    { type: CK.CKA_ID, value: Buffer.from(id) },
    ...(algorithm === 'RSA'
      ? [
          { type: CK.CKA_MODULUS_BITS, value: RSA_KEY_BITS },
          { type: CK.CKA_PUBLIC_EXPONENT, value: RSA_PUBLIC_EXPONENT },
        ]
      : [{ type: CK.CKA_EC_PARAMS, value: P256_EC_PARAMS }]),
  ];
}

/** The public half of a token key pair, read from its public-key object. */
async function readPublicKey(token: Pkcs11Token, algorithm: KeyAlgorithm, publicKeyHandle: Handle): Promise<KeyObject> {
  if (algorithm === 'RSA') {
    const values = await token.attributes(publicKeyHandle, [CK.CKA_MODULUS, CK.CKA_PUBLIC_EXPONENT]);
    return rsaPublicKey(values.get(CK.CKA_MODULUS) ?? Buffer.alloc(0), values.get(CK.CKA_PUBLIC_EXPONENT) ?? Buffer.alloc(0));
  }
  const values = await token.attributes(publicKeyHandle, [CK.CKA_EC_POINT]);
  return p256PublicKey(values.get(CK.CKA_EC_POINT) ?? Buffer.alloc(0));
}

/**
 * Makes an RSA-2048 (exponent 65537) or EC P-256 key pair inside the token
 * (the token needs a read-write session), both objects labelled `label`.
 * Their CKA_ID is set, once the public key is known, to its key identifier,
 * which is what the certificate's subjectKeyIdentifier holds: so a
 * certificate names its key on the token.
 * @throws SigningError ERR_SIGNER_UNAVAILABLE (and the other device codes)
 *   when the token refuses.
 */
export async function generateKeyPairInToken(token: Pkcs11Token, algorithm: KeyAlgorithm, label: string): Promise<TokenKeyPair> {
  const provisionalId = new Uint8Array(randomBytes(20));
  const mechanism = { mechanism: algorithm === 'RSA' ? CK.CKM_RSA_PKCS_KEY_PAIR_GEN : CK.CKM_EC_KEY_PAIR_GEN };
  const pair = await token.withSession((binding, session) =>
    callAsync(token.context('C_GenerateKeyPair'), () =>
      binding.C_GenerateKeyPairAsync(session, mechanism, publicKeyTemplate(algorithm, label, provisionalId), privateKeyTemplate(label, provisionalId)),
    ),
  );
  const generated = { privateKeyHandle: pair.privateKey, publicKeyHandle: pair.publicKey };
  try {
    const publicKey = await readPublicKey(token, algorithm, pair.publicKey);
    const keyId = keyIdentifierOf(spkiDer(publicKey));
    await token.withSession((binding, session) => {
      for (const handle of [pair.privateKey, pair.publicKey]) {
        call(token.context('C_SetAttributeValue'), () => binding.C_SetAttributeValue(session, handle, [{ type: CK.CKA_ID, value: Buffer.from(keyId) }]));
      }
    });
    return { keyId, publicKey, ...generated };
  } catch (error) {
    await destroyKeyPair(token, generated).catch(() => undefined);
    throw error instanceof SigningError ? error : new SigningError('ERR_SIGNER_UNAVAILABLE', `the new key pair cannot be read back: ${String(error)}`, undefined, { cause: error });
  }
}

/** Destroys both objects of a key pair, when what it was made for failed. */
export async function destroyKeyPair(token: Pkcs11Token, pair: Pick<TokenKeyPair, 'privateKeyHandle' | 'publicKeyHandle'>): Promise<void> {
  await token.withSession((binding, session) => {
    for (const handle of [pair.privateKeyHandle, pair.publicKeyHandle]) call(token.context('C_DestroyObject'), () => binding.C_DestroyObject(session, handle));
  });
}
