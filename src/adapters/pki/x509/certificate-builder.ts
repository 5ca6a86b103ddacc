import { createHash, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { parseCreditCode } from '../../../modules/identity/index.js';
import { SigningError } from '../../../shared/errors.js';
import {
  bitStringBytes,
  boolean,
  encodeDer,
  explicit,
  implicitBytes,
  integerBytes,
  namedBits,
  nullValue,
  octetString,
  oid,
  parseDer,
  printableString,
  readBitString,
  sequence,
  set,
  smallInteger,
  time,
  utf8String,
  child,
  type Asn1,
} from './der.js';
import { generatePrivateKey, signatureAlgorithmOf, signSha256, spkiDer, type KeyAlgorithm } from './keys.js';
import { COPY_SIGNING_EKUS, DOCUMENT_SIGNING_EKUS, OID } from './oids.js';
import { parseCertificate } from './parse.js';
import { certificateUsage, KEY_USAGE_BITS, type KeyUsageName } from './usage.js';

/** A certificate with its private key: what a CA issues with, or what a department signs with. */
export interface CertificateWithKey {
  readonly certificateDer: Uint8Array;
  readonly privateKey: KeyObject;
}

export type NameAttributeType = 'C' | 'O' | 'OU' | 'CN' | 'serialNumber' | 'organizationIdentifier';

/** One attribute of a distinguished name, one attribute per RDN, most general first. */
export interface NameAttribute {
  readonly type: NameAttributeType;
  readonly value: string;
}

/** countryName and serialNumber are PrintableString (RFC 5280 appendix A); the others UTF8String, so Chinese names survive. */
const NAME_ATTRIBUTES: Readonly<Record<NameAttributeType, { oid: string; encode: (value: string) => Asn1 }>> = {
  C: { oid: OID.countryName, encode: printableString },
  O: { oid: OID.organizationName, encode: utf8String },
  OU: { oid: OID.organizationalUnitName, encode: utf8String },
  CN: { oid: OID.commonName, encode: utf8String },
  serialNumber: { oid: OID.serialNumber, encode: printableString },
  organizationIdentifier: { oid: OID.organizationIdentifier, encode: utf8String },
};

function encodeName(attributes: readonly NameAttribute[]): Asn1 {
  return sequence(
    attributes.map(({ type, value }) => {
      if (value.length === 0) throw new RangeError(`name attribute ${type} is empty`);
      const { oid: id, encode } = NAME_ATTRIBUTES[type];
      return set([sequence([oid(id), encode(value)])]);
    }),
  );
}

/** What {@link buildCertificate} puts in a certificate. */
export interface CertificateTemplate {
  readonly subject: readonly NameAttribute[];
  /** The subject's key; only its public half goes into the certificate. */
  readonly subjectKey: KeyObject;
  /** The issuing CA; omitted for a self-signed certificate, which `subjectKey` (then a private key) signs. */
  readonly issuer?: CertificateWithKey;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly isCa: boolean;
  readonly keyUsage: readonly KeyUsageName[];
  /** extKeyUsage OIDs; omitted or empty for no extension. */
  readonly extKeyUsage?: readonly string[];
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return sequence([oid(id), critical ? boolean(true) : undefined, octetString(encodeDer(value))]);
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bytes, from SubjectPublicKeyInfo DER. */
export function keyIdentifierOf(spki: Uint8Array): Uint8Array {
  const { bytes } = readBitString(child(parseDer(spki), 1, 'SubjectPublicKeyInfo'), 'subjectPublicKey');
  return new Uint8Array(createHash('sha1').update(bytes).digest());
}

/** 16 random bytes, positive and without a leading zero byte, so the DER INTEGER has exactly 16 content bytes. */
function randomSerial(): Uint8Array {
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = serial[0]! & 0x7f || 0x01;
  return serial;
}

function signatureAlgorithmIdentifier(signingKey: KeyObject): Asn1 {
  return signatureAlgorithmOf(signingKey) === 'RSA-SHA256' ? sequence([oid(OID.sha256WithRSAEncryption), nullValue()]) : sequence([oid(OID.ecdsaWithSha256)]);
}

/** Checks that `issuer` may issue certificates and that its key is the certificate's. */
function checkIssuer(issuer: CertificateWithKey): void {
  let usage;
  try {
    usage = certificateUsage(issuer.certificateDer);
  } catch (error) {
    throw new SigningError('ERR_SIGNER_CERT_USAGE', 'the issuer certificate cannot be read', undefined, { cause: error });
  }
  if (!usage.isCa || usage.keyUsage?.keyCertSign !== true) throw new SigningError('ERR_SIGNER_CERT_USAGE', 'the issuer certificate is not a CA allowed to sign certificates');
  if (issuer.privateKey.type !== 'private' || !new X509Certificate(issuer.certificateDer).checkPrivateKey(issuer.privateKey)) {
    throw new SigningError('ERR_SIGNER_KEY_MISMATCH', 'the issuer private key does not belong to the issuer certificate');
  }
}

/**
 * Builds and signs an X.509 v3 certificate: the TBSCertificate is assembled
 * with forge's ASN.1 module (the SubjectPublicKeyInfo is Node's SPKI export,
 * so RSA and EC keys go the same way), its DER is signed with Node's crypto
 * (sha256WithRSAEncryption or ecdsa-with-SHA256, after the signing key), and
 * the Certificate is assembled around it. Adds subjectKeyIdentifier, and for
 * an issued certificate authorityKeyIdentifier = the issuer's SKI.
 * @throws SigningError ERR_SIGNER_ALGORITHM for an unsupported key,
 *   ERR_SIGNER_CERT_USAGE / ERR_SIGNER_KEY_MISMATCH for an unusable issuer.
 */
export function buildCertificate(template: CertificateTemplate): Uint8Array {
  const { subject, subjectKey, issuer, validFrom, validTo } = template;
  if (!(validFrom.getTime() < validTo.getTime())) throw new RangeError('validFrom must be before validTo');
  if (template.keyUsage.length === 0) throw new RangeError('keyUsage must name at least one usage (RFC 5280 4.2.1.3)');
  signatureAlgorithmOf(subjectKey);
  const signingKey = issuer ? issuer.privateKey : subjectKey;
  if (signingKey.type !== 'private') throw new TypeError('a self-signed certificate needs the subject private key');
  const algorithm = signatureAlgorithmIdentifier(signingKey);

  let issuerName: Asn1;
  let authorityKeyId: Uint8Array | null = null;
  if (issuer) {
    checkIssuer(issuer);
    const parsed = parseCertificate(issuer.certificateDer);
    issuerName = parseDer(parsed.subjectDer);
    authorityKeyId = certificateUsage(issuer.certificateDer).subjectKeyIdentifier ?? keyIdentifierOf(parsed.spkiDer);
  } else {
    issuerName = encodeName(subject);
  }

  const spki = spkiDer(subjectKey);
  const extensions = [
    extension(OID.basicConstraints, template.isCa, sequence([template.isCa ? boolean(true) : undefined])),
    extension(OID.keyUsage, true, namedBits(template.keyUsage.map((name) => KEY_USAGE_BITS[name]))),
    template.extKeyUsage && template.extKeyUsage.length > 0 ? extension(OID.extKeyUsage, false, sequence(template.extKeyUsage.map(oid))) : undefined,
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifierOf(spki))),
    authorityKeyId ? extension(OID.authorityKeyIdentifier, false, sequence([implicitBytes(0, authorityKeyId)])) : undefined,
  ];

  const tbs = sequence([
    explicit(0, smallInteger(2)),
    integerBytes(randomSerial()),
    algorithm,
    issuerName,
    sequence([time(validFrom), time(validTo)]),
    encodeName(subject),
    parseDer(spki),
    explicit(3, sequence(extensions)),
  ]);
  const signature = signSha256(encodeDer(tbs), signingKey);
  return encodeDer(sequence([tbs, algorithm, bitStringBytes(signature)]));
}

export interface RootCaOptions {
  readonly commonName: string;
  readonly organization: string;
  /** RSA-2048 with sha256WithRSAEncryption, or EC P-256 with ecdsa-with-SHA256. */
  readonly algorithm: KeyAlgorithm;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/**
 * A new self-signed root CA (subject C=CN, O, CN): basicConstraints CA:true
 * and keyUsage keyCertSign + cRLSign, both critical, and subjectKeyIdentifier.
 */
export function createRootCa(options: RootCaOptions): CertificateWithKey {
  const privateKey = generatePrivateKey(options.algorithm);
  const certificateDer = buildCertificate({
    subject: [
      { type: 'C', value: 'CN' },
      { type: 'O', value: options.organization },
      { type: 'CN', value: options.commonName },
    ],
    subjectKey: privateKey,
    validFrom: options.validFrom,
    validTo: options.validTo,
    isCa: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  return { certificateDer, privateKey };
}

export interface DepartmentCertificateOptions {
  readonly issuer: CertificateWithKey;
  readonly department: { readonly name: string; readonly creditCode: string };
  /** The department's key type, independent of the issuer's. */
  readonly algorithm: KeyAlgorithm;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/** ETSI EN 319 412-1 5.1.4: legal-person semantics identifier "NTR" + country + "-" + national registration number. */
export function organizationIdentifierFor(creditCode: string): string {
  return `NTRCN-${creditCode}`;
}

/** The subject of a department's signing certificate. */
export function departmentSubject(department: { readonly name: string; readonly creditCode: string }): NameAttribute[] {
  const creditCode = parseCreditCode(department.creditCode).value;
  return [
    { type: 'C', value: 'CN' },
    { type: 'O', value: department.name },
    { type: 'organizationIdentifier', value: organizationIdentifierFor(creditCode) },
    { type: 'serialNumber', value: creditCode },
    { type: 'CN', value: department.name },
  ];
}

/** What {@link certifyDepartmentKey} needs: the key is made elsewhere (in an HSM), only its public half comes here. */
export interface DepartmentKeyCertificationOptions extends Omit<DepartmentCertificateOptions, 'algorithm'> {
  /** RSA (2048 bits and up) or EC P-256; its type decides the certificate's key algorithm. */
  readonly publicKey: KeyObject;
}

/**
 * A document-signing certificate for a department's existing key, issued by
 * `issuer`: subject C=CN, O=CN=name, organizationIdentifier NTRCN-{code} and
 * serialNumber {code}; keyUsage digitalSignature + nonRepudiation (critical);
 * extKeyUsage {@link DOCUMENT_SIGNING_EKUS}; basicConstraints CA:false.
 * @throws IdentityError when the credit code is invalid; SigningError when the
 *   issuer cannot issue or the key is not RSA-2048+ or P-256 (ERR_SIGNER_ALGORITHM).
 */
export function certifyDepartmentKey(options: DepartmentKeyCertificationOptions): Uint8Array {
  return buildCertificate({
    subject: departmentSubject(options.department),
    subjectKey: options.publicKey,
    issuer: options.issuer,
    validFrom: options.validFrom,
    validTo: options.validTo,
    isCa: false,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: DOCUMENT_SIGNING_EKUS,
  });
}

/**
 * A new key and its document-signing certificate for a department, as
 * {@link certifyDepartmentKey} issues it.
 * @throws IdentityError when the credit code is invalid; SigningError when the issuer cannot issue.
 */
export function issueDepartmentCertificate(options: DepartmentCertificateOptions): CertificateWithKey {
  const privateKey = generatePrivateKey(options.algorithm);
  return { certificateDer: certifyDepartmentKey({ ...options, publicKey: privateKey }), privateKey };
}

/** The subject of the vault platform's annotated-copy certificate: it names the platform, never a department. */
export const PLATFORM_SUBJECT: readonly NameAttribute[] = Object.freeze([
  { type: 'C', value: 'CN' },
  { type: 'O', value: '电子证照库' },
  { type: 'OU', value: '加注件签章' },
  { type: 'CN', value: '电子证照库平台 加注件签章' },
]);

export interface PlatformKeyCertificationOptions {
  readonly issuer: CertificateWithKey;
  /** RSA (2048 bits and up) or EC P-256; made here or kept in a PKCS#11 token. */
  readonly publicKey: KeyObject;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/**
 * The vault platform's annotated-copy (加注件) signing certificate: subject
 * {@link PLATFORM_SUBJECT}, keyUsage digitalSignature + nonRepudiation,
 * extKeyUsage {@link COPY_SIGNING_EKUS} (a department's plus the copy-signing
 * mark verifiers look for), CA:false.
 */
export function certifyPlatformKey(options: PlatformKeyCertificationOptions): Uint8Array {
  return buildCertificate({
    subject: [...PLATFORM_SUBJECT],
    subjectKey: options.publicKey,
    issuer: options.issuer,
    validFrom: options.validFrom,
    validTo: options.validTo,
    isCa: false,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: COPY_SIGNING_EKUS,
  });
}
