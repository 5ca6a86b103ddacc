import { createHash } from 'node:crypto';
import type { CmsSignatureBuilder, Signer } from '../../../modules/signing/index.js';
import { issuerAndSerialOf } from './asn1.js';
import { algorithm, octetString, oid, sequence, setOf, smallInteger, tlv } from './der.js';
import { OID } from '../x509/oids.js';

/** The parts of a SignedData that depend only on the signer, computed once per signer. */
interface SignerConstants {
  readonly certificates: Buffer;
  readonly signerIdentifier: Buffer;
  readonly contentTypeAttribute: Buffer;
  readonly signingCertificateV2Attribute: Buffer;
  readonly signatureAlgorithm: Buffer;
}

const SHA256 = algorithm(OID.sha256);

function attribute(type: string, value: Uint8Array): Buffer {
  return sequence(oid(type), setOf([value]));
}

function constantsFor(signer: Signer): SignerConstants {
  const [signerCertificate] = signer.certificateChain;
  if (!signerCertificate) throw new TypeError('signer has no certificate');
  const { issuer, serial } = issuerAndSerialOf(signerCertificate);
  // ESS signing-certificate-v2 (RFC 5035): hashAlgorithm left out as it is the DEFAULT sha256;
  // IssuerSerial names the issuer as a GeneralName directoryName ([4], explicit).
  const essCertId = sequence(octetString(createHash('sha256').update(signerCertificate).digest()), sequence(sequence(tlv(0xa4, issuer)), serial));
  return {
    certificates: setOf(signer.certificateChain, 0xa0),
    signerIdentifier: sequence(issuer, serial),
    contentTypeAttribute: attribute(OID.contentType, oid(OID.data)),
    signingCertificateV2Attribute: attribute(OID.signingCertificateV2, sequence(sequence(essCertId))),
    signatureAlgorithm: signer.algorithm === 'RSA-SHA256' ? algorithm(OID.sha256WithRSAEncryption, true) : algorithm(OID.ecdsaWithSha256),
  };
}

/**
 * CAdES baseline B-B detached SignedData: signed attributes content-type,
 * message-digest and signing-certificate-v2 (DER-sorted), no signing-time
 * (PAdES puts the time in the signature dictionary's /M), and the signer's
 * certificate chain.
 */
export class CadesSignedDataBuilder implements CmsSignatureBuilder {
  private readonly constants = new WeakMap<Signer, SignerConstants>();

  async createDetachedSignature(contentDigest: Uint8Array, signer: Signer): Promise<Uint8Array> {
    if (contentDigest.length !== 32) throw new TypeError('contentDigest must be a SHA-256 digest');
    let constants = this.constants.get(signer);
    if (!constants) {
      constants = constantsFor(signer);
      this.constants.set(signer, constants);
    }
    const attributes = [constants.contentTypeAttribute, attribute(OID.messageDigest, octetString(contentDigest)), constants.signingCertificateV2Attribute];
    const signedAttributes = setOf(attributes);
    const signature = await signer.sign(signedAttributes);
    // The signature is over the attributes as a SET (tag 0x31); in the SignerInfo they are [0] IMPLICIT.
    const signerInfo = sequence(smallInteger(1), constants.signerIdentifier, SHA256, setOf(attributes, 0xa0), constants.signatureAlgorithm, octetString(signature));
    const signedData = sequence(smallInteger(1), setOf([SHA256]), sequence(oid(OID.data)), constants.certificates, setOf([signerInfo]));
    return sequence(oid(OID.signedData), tlv(0xa0, signedData));
  }
}
