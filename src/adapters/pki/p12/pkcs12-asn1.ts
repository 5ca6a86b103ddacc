import { createHmac } from 'node:crypto';
import forge from 'node-forge';

/** PKCS#12 / PKCS#7 / PKCS#9 object identifiers (RFC 7292, RFC 2315, RFC 2985). */
export const P12_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

/** MAC digests forge's PKCS#12 key derivation and Node's HMAC both know, by digest OID. */
const MAC_DIGESTS: Readonly<Record<string, { readonly name: string; readonly keyBytes: number; readonly create: () => forge.md.MessageDigest }>> = {
  '1.3.14.3.2.26': { name: 'sha1', keyBytes: 20, create: () => forge.md.sha1.create() },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', keyBytes: 32, create: () => forge.md.sha256.create() },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', keyBytes: 48, create: () => forge.md.sha384.create() },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', keyBytes: 64, create: () => forge.md.sha512.create() },
};

export function isSupportedMacDigest(digestOid: string): boolean {
  return digestOid in MAC_DIGESTS;
}

/**
 * The PFX integrity MAC (RFC 7292 appendix B): the HMAC key comes from the
 * PKCS#12 KDF (ID 3) over the password as a NUL-terminated BMPString (what
 * forge's `pkcs12.generateKey` does with a JS string, and what OpenSSL does
 * after converting its UTF-8 input), the HMAC itself from Node.
 */
export function pkcs12Mac(digestOid: string, password: string, salt: Uint8Array, iterations: number, authSafe: Uint8Array): Uint8Array {
  const digest = MAC_DIGESTS[digestOid];
  if (!digest) throw new RangeError(`unsupported PKCS#12 MAC digest ${digestOid}`);
  const saltBuffer = forge.util.createBuffer(Buffer.from(salt).toString('latin1'));
  const key = forge.pkcs12.generateKey(password, saltBuffer, 3, iterations, digest.keyBytes, digest.create()).getBytes();
  return new Uint8Array(createHmac(digest.name, Buffer.from(key, 'latin1')).update(authSafe).digest());
}
