import { OID } from '../x509/oids.js';

/** Digest algorithms a signature may use, by OID, as Node crypto names them. */
export const ALLOWED_DIGESTS: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512'>> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

/** Signature algorithms a signature may use, by OID: key type, and the digest the OID itself fixes (if any). */
export const ALLOWED_SIGNATURE_ALGORITHMS: Readonly<Record<string, { readonly key: 'rsa' | 'ec'; readonly digest: 'sha256' | 'sha384' | 'sha512' | null }>> = {
  [OID.rsaEncryption]: { key: 'rsa', digest: null },
  [OID.sha256WithRSAEncryption]: { key: 'rsa', digest: 'sha256' },
  [OID.sha384WithRSAEncryption]: { key: 'rsa', digest: 'sha384' },
  [OID.sha512WithRSAEncryption]: { key: 'rsa', digest: 'sha512' },
  [OID.ecdsaWithSha256]: { key: 'ec', digest: 'sha256' },
  [OID.ecdsaWithSha384]: { key: 'ec', digest: 'sha384' },
  [OID.ecdsaWithSha512]: { key: 'ec', digest: 'sha512' },
};
