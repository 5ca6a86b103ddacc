import { Asn1Type, bitIsSet, children, fromBinary, isContext, isUniversal, parseDer, primitiveBytes, readBitString, readBoolean, readOctets, readOid, type Asn1 } from './der.js';
import { OID } from './oids.js';
import { parseCertificate } from './parse.js';
import { memoizeByDer } from './der-memo.js';

/** What a certificate may be used for, and its key identifiers, as its extensions say. */
export interface CertificateUsage {
  /**
   * Bits of the keyUsage extension, or null when the extension is absent
   * (RFC 5280: no restriction; the vault's signer still refuses such a
   * certificate, the verifier decides for itself).
   */
  readonly keyUsage: { readonly digitalSignature: boolean; readonly nonRepudiation: boolean; readonly keyCertSign: boolean } | null;
  /** The extKeyUsage OIDs in certificate order, or null when the extension is absent. */
  readonly extKeyUsage: readonly string[] | null;
  /** basicConstraints cA; false when the extension is absent. */
  readonly isCa: boolean;
  /** The subjectKeyIdentifier, or null when absent. */
  readonly subjectKeyIdentifier: Uint8Array | null;
  /** The authorityKeyIdentifier's keyIdentifier, or null when absent. */
  readonly authorityKeyIdentifier: Uint8Array | null;
}

/** keyUsage bit positions (RFC 5280 4.2.1.3). */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE_BITS;

/**
 * Reads keyUsage, extKeyUsage, basicConstraints and the key identifiers
 * from a DER certificate, with forge's ASN.1 parser.
 * @throws DerShapeError when the certificate or one of these extensions is malformed.
 */
export const certificateUsage: (der: Uint8Array) => CertificateUsage = memoizeByDer(usageOf);

function usageOf(der: Uint8Array): CertificateUsage {
  const { extensions } = parseCertificate(der);

  let keyUsage: CertificateUsage['keyUsage'] = null;
  const keyUsageExt = extensions.get(OID.keyUsage);
  if (keyUsageExt) {
    const bits = readBitString(parseDer(keyUsageExt.value), 'keyUsage');
    keyUsage = Object.freeze({
      digitalSignature: bitIsSet(bits, KEY_USAGE_BITS.digitalSignature),
      nonRepudiation: bitIsSet(bits, KEY_USAGE_BITS.nonRepudiation),
      keyCertSign: bitIsSet(bits, KEY_USAGE_BITS.keyCertSign),
    });
  }

  const ekuExt = extensions.get(OID.extKeyUsage);
  const extKeyUsage = ekuExt ? Object.freeze(children(parseDer(ekuExt.value), 'extKeyUsage').map((node) => readOid(node, 'KeyPurposeId'))) : null;

  let isCa = false;
  const basicExt = extensions.get(OID.basicConstraints);
  if (basicExt) {
    const first: Asn1 | undefined = children(parseDer(basicExt.value), 'basicConstraints')[0];
    isCa = isUniversal(first, Asn1Type.BOOLEAN) ? readBoolean(first, 'cA') : false;
  }

  const skiExt = extensions.get(OID.subjectKeyIdentifier);
  const subjectKeyIdentifier = skiExt ? readOctets(parseDer(skiExt.value), 'subjectKeyIdentifier') : null;

  let authorityKeyIdentifier: Uint8Array | null = null;
  const akiExt = extensions.get(OID.authorityKeyIdentifier);
  if (akiExt) {
    const keyId = children(parseDer(akiExt.value), 'authorityKeyIdentifier').find((node) => isContext(node, 0));
    if (keyId) authorityKeyIdentifier = fromBinary(primitiveBytes(keyId, 'keyIdentifier'));
  }

  return Object.freeze({ keyUsage, extKeyUsage, isCa, subjectKeyIdentifier, authorityKeyIdentifier });
}
