/**
 * X.509 for the vault's own small PKI: a root CA per installation and a
 * document-signing certificate per department, built with forge's ASN.1
 * module and signed with Node's crypto; plus reading certificates back
 * (summary, usage, trust directory).
 */
export {
  buildCertificate,
  certifyDepartmentKey,
  certifyPlatformKey,
  PLATFORM_SUBJECT,
  createRootCa,
  issueDepartmentCertificate,
  keyIdentifierOf,
  departmentSubject,
  organizationIdentifierFor,
} from './certificate-builder.js';
export type {
  CertificateTemplate,
  CertificateWithKey,
  DepartmentCertificateOptions,
  DepartmentKeyCertificationOptions,
  NameAttribute,
  NameAttributeType,
  PlatformKeyCertificationOptions,
  RootCaOptions,
} from './certificate-builder.js';
export { generatePrivateKey, signatureAlgorithmOf, spkiDer, signSha256, signSha256Async, RSA_KEY_BITS } from './keys.js';
export type { KeyAlgorithm } from './keys.js';
export { COPY_SIGNING_EKUS, DOCUMENT_SIGNING_EKUS, OID } from './oids.js';
export { parseCertificate } from './parse.js';
export type { ParsedCertificate, ParsedExtension } from './parse.js';
export { certificateToPem, readCertificates } from './pem.js';
export { summarizeCertificate } from './summary.js';
export { loadTrustDirectory, TRUST_FILE_EXTENSIONS } from './trust-directory.js';
export type { TrustedRoot } from './trust-directory.js';
export { certificateUsage, KEY_USAGE_BITS } from './usage.js';
export type { CertificateUsage, KeyUsageName } from './usage.js';
export { DerShapeError } from './der.js';
export { memoizeByDer } from './der-memo.js';
