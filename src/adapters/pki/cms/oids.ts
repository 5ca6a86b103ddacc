/** Object identifiers of the CMS / CAdES structures the vault writes and checks. */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
} as const;

/** Digest algorithms a signature may use, by OID, as Node crypto names them. */
export const ALLOWED_DIGESTS: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512'>> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

/** Signature algorithms a signature may use, by OID: key type, and the digest the OID itself fixes (if any). */
export const ALLOWED_SIGNATURE_ALGORITHMS: Readonly<Record<string, { readonly key: 'rsa' | 'ec'; readonly digest: 'sha256' | 'sha384' | 'sha512' | null }>> = {
  [OID.rsaEncryption]: { key: 'rsa', digest: null },
  [OID.sha256WithRSA]: { key: 'rsa', digest: 'sha256' },
  [OID.sha384WithRSA]: { key: 'rsa', digest: 'sha384' },
  [OID.sha512WithRSA]: { key: 'rsa', digest: 'sha512' },
  [OID.ecdsaWithSha256]: { key: 'ec', digest: 'sha256' },
  [OID.ecdsaWithSha384]: { key: 'ec', digest: 'sha384' },
  [OID.ecdsaWithSha512]: { key: 'ec', digest: 'sha512' },
};
