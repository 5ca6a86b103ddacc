import {
  Asn1Type,
  child,
  children,
  DerShapeError,
  encodeDer,
  isContext,
  isUniversal,
  parseDer,
  primitiveBytes,
  readBoolean,
  readOctets,
  readOid,
  readTime,
  type Asn1,
} from './der.js';

export interface ParsedExtension {
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content (the extension's own DER). */
  readonly value: Uint8Array;
}

/** The parts of a certificate the vault reads, taken from the DER with forge's ASN.1 parser. */
export interface ParsedCertificate {
  readonly version: number;
  /** Big-endian two's-complement content of the serialNumber INTEGER. */
  readonly serial: Uint8Array;
  /** DER of the issuer and subject Names, byte for byte as in the certificate. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Uint8Array;
  /** By extnID; a repeated extension makes the certificate invalid. */
  readonly extensions: ReadonlyMap<string, ParsedExtension>;
}

/**
 * Reads a DER X.509 certificate's TBSCertificate.
 * @throws DerShapeError when the bytes are not a certificate.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const certificate = parseDer(der);
  if (!isUniversal(certificate, Asn1Type.SEQUENCE) || children(certificate, 'Certificate').length !== 3) {
    throw new DerShapeError('Certificate: expected SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }');
  }
  const tbs = children(child(certificate, 0, 'Certificate'), 'TBSCertificate');
  let index = 0;
  let version = 1;
  const first = tbs[0];
  if (isContext(first, 0)) {
    version = primitiveBytes(child(first, 0, 'version'), 'version').charCodeAt(0) + 1;
    index = 1;
  }
  const serialNode = tbs[index];
  if (!isUniversal(serialNode, Asn1Type.INTEGER)) throw new DerShapeError('TBSCertificate: expected serialNumber');
  const issuer = tbs[index + 2];
  const validity = tbs[index + 3];
  const subject = tbs[index + 4];
  const spki = tbs[index + 5];
  if (!isUniversal(issuer, Asn1Type.SEQUENCE) || !isUniversal(subject, Asn1Type.SEQUENCE) || !isUniversal(spki, Asn1Type.SEQUENCE)) {
    throw new DerShapeError('TBSCertificate: expected issuer, subject and subjectPublicKeyInfo');
  }
  const extensions = new Map<string, ParsedExtension>();
  for (const node of tbs.slice(index + 6)) {
    if (isContext(node, 3)) readExtensions(child(node, 0, 'extensions'), extensions);
  }
  return {
    version,
    serial: new Uint8Array(Buffer.from(primitiveBytes(serialNode, 'serialNumber'), 'latin1')),
    issuerDer: encodeDer(issuer),
    subjectDer: encodeDer(subject),
    notBefore: readTime(child(validity, 0, 'validity'), 'notBefore'),
    notAfter: readTime(child(validity, 1, 'validity'), 'notAfter'),
    spkiDer: encodeDer(spki),
    extensions,
  };
}

function readExtensions(list: Asn1, into: Map<string, ParsedExtension>): void {
  for (const extension of children(list, 'Extensions')) {
    const parts = children(extension, 'Extension');
    const id = readOid(parts[0], 'extnID');
    const critical = parts.length === 3 ? readBoolean(parts[1], 'critical') : false;
    const value = readOctets(parts[parts.length - 1], 'extnValue');
    if (into.has(id)) throw new DerShapeError(`extension ${id} appears twice`);
    into.set(id, { critical, value });
  }
}
