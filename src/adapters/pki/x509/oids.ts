/** Object identifiers the vault's certificates and signatures use, in dotted form. */
export const OID = {
  // attribute types (X.520)
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  organizationIdentifier: '2.5.4.97',

  // extensions (RFC 5280)
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  anyExtendedKeyUsage: '2.5.29.37.0',

  // extended key usages
  documentSigning: '1.3.6.1.5.5.7.3.36',
  microsoftDocumentSigning: '1.3.6.1.4.1.311.10.3.12',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  /** The vault platform's annotated-copy (加注件) signing purpose: a UUID-based OID (ITU-T X.667), marking the platform certificate apart from departments'. */
  annotatedCopySigning: '2.25.208364276034528356812149718211318071282',

  // algorithms
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  prime256v1: '1.2.840.10045.3.1.7',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',

  // CMS (RFC 5652) and ESS (RFC 5035) content types and signed attributes
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/**
 * Extended key usages put in a department signing certificate, in order:
 * id-kp-documentSigning (RFC 9336), Microsoft document signing (what Adobe
 * Acrobat looks for), and id-kp-emailProtection, because NSS-based
 * validators (poppler's `pdfsig`) check a PDF signer with NSS's email-signer
 * profile and reject a certificate whose EKU lacks it. Adjust here only.
 */
export const DOCUMENT_SIGNING_EKUS: readonly string[] = Object.freeze([OID.documentSigning, OID.microsoftDocumentSigning, OID.emailProtection]);

/** Extended key usages of the vault platform's annotated-copy certificate: those of a department, plus the copy-signing mark. */
export const COPY_SIGNING_EKUS: readonly string[] = Object.freeze([...DOCUMENT_SIGNING_EKUS, OID.annotatedCopySigning]);
