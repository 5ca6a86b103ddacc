import { createPublicKey, type KeyObject } from 'node:crypto';
import { SigningError } from '../../../shared/errors.js';
import { encodeDer, integerBytes, sequence } from '../x509/der.js';

/** CKA_EC_PARAMS of P-256: the DER of its named-curve OID 1.2.840.10045.3.1.7. */
export const P256_EC_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
/** Bytes of one P-256 coordinate, and so of r and of s. */
const P256_BYTES = 32;

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** An RSA public key from CKA_MODULUS and CKA_PUBLIC_EXPONENT (big-endian, as PKCS#11 gives them). */
export function rsaPublicKey(modulus: Uint8Array, publicExponent: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: base64url(modulus), e: base64url(publicExponent) }, format: 'jwk' });
}

/**
 * A P-256 public key from CKA_EC_POINT. PKCS#11 2.40 says the point is the
 * DER of an OCTET STRING holding the uncompressed point (04 ‖ x ‖ y), which
 * SoftHSM gives; some modules give the bare point, which is taken too.
 */
export function p256PublicKey(ecPoint: Uint8Array): KeyObject {
  const uncompressed = 1 + 2 * P256_BYTES;
  let point = ecPoint;
  if (ecPoint.length === uncompressed + 2 && ecPoint[0] === 0x04 && ecPoint[1] === uncompressed) point = ecPoint.subarray(2);
  if (point.length !== uncompressed || point[0] !== 0x04) {
    throw new SigningError('ERR_SIGNER_ALGORITHM', `the token's EC point (${ecPoint.length} bytes) is not an uncompressed P-256 point`);
  }
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: base64url(point.subarray(1, 1 + P256_BYTES)), y: base64url(point.subarray(1 + P256_BYTES)) },
    format: 'jwk',
  });
}

/** Content bytes of a DER INTEGER holding the unsigned big-endian `magnitude`: no leading zeros, then a zero byte if the top bit is set. */
function unsignedIntegerContent(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const trimmed = magnitude.subarray(start);
  return (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
}

/**
 * CKM_ECDSA returns r ‖ s, each as long as the curve's order; CMS (and
 * Node's default `dsaEncoding`) wants the DER ECDSA-Sig-Value
 * SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 / RFC 3279).
 */
export function ecdsaSignatureToDer(rawSignature: Uint8Array): Uint8Array {
  if (rawSignature.length === 0 || rawSignature.length % 2 !== 0) {
    throw new SigningError('ERR_SIGNER_UNAVAILABLE', `the token returned an ECDSA signature of ${rawSignature.length} bytes, not r ‖ s`);
  }
  const half = rawSignature.length / 2;
  return encodeDer(sequence([integerBytes(unsignedIntegerContent(rawSignature.subarray(0, half))), integerBytes(unsignedIntegerContent(rawSignature.subarray(half)))]));
}
