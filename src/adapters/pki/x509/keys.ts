import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from '../../../modules/signing/index.js';
import { SigningError } from '../../../shared/errors.js';

/** Key types a certificate or signer may have: RSA (2048 bits and up) or EC on P-256. */
export type KeyAlgorithm = 'RSA' | 'EC';

/** Bits of a generated RSA key; keys of fewer bits are refused. */
export const RSA_KEY_BITS = 2048;

/** A new key pair's private key (Node keeps the public half inside it). */
export function generatePrivateKey(algorithm: KeyAlgorithm): KeyObject {
  return algorithm === 'RSA'
    ? generateKeyPairSync('rsa', { modulusLength: RSA_KEY_BITS, publicExponent: 0x10001 }).privateKey
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/**
 * The signature algorithm a key signs with, or ERR_SIGNER_ALGORITHM for
 * anything but RSA (PKCS#1 v1.5, ≥ 2048 bits) and ECDSA on P-256.
 */
export function signatureAlgorithmOf(key: KeyObject): SignatureAlgorithm {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < RSA_KEY_BITS) throw new SigningError('ERR_SIGNER_ALGORITHM', `RSA key of ${bits} bits is too short (minimum ${RSA_KEY_BITS})`);
    return 'RSA-SHA256';
  }
  if (type === 'ec') {
    if (details.namedCurve !== 'prime256v1') {
      throw new SigningError('ERR_SIGNER_ALGORITHM', `EC key on curve ${details.namedCurve ?? 'unknown'} is not supported (only P-256)`);
    }
    return 'ECDSA-P256-SHA256';
  }
  throw new SigningError('ERR_SIGNER_ALGORITHM', `key type ${type ?? 'unknown'} is not supported (only RSA and EC P-256)`);
}

/** SubjectPublicKeyInfo DER of a public key, or of a private key's public half. */
export function spkiDer(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

/** SHA-256, then RSA PKCS#1 v1.5 or DER-encoded ECDSA, by Node's native crypto. */
export function signSha256(data: Uint8Array, privateKey: KeyObject): Uint8Array {
  return new Uint8Array(sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }));
}

/** As {@link signSha256}, on libuv's thread pool so the event loop keeps running. */
export function signSha256Async(data: Uint8Array, privateKey: KeyObject): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }, (error, signature) => {
      if (error) reject(error);
      else resolve(new Uint8Array(signature));
    });
  });
}
