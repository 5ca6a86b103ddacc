import forge from 'node-forge';
import { childrenOf, derOf, isContextTag, oidOf, parseAsn1Prefix, primitiveBytes, type Asn1 } from './asn1.js';
import { OID } from '../x509/oids.js';

/** How a SignerInfo names its certificate. */
export type SignerIdentifier = { readonly kind: 'issuer-serial'; readonly issuer: Buffer; readonly serial: Buffer } | { readonly kind: 'key-id'; readonly keyId: Buffer };

/** One signed attribute: its type and the DER of each of its values. */
export interface SignedAttribute {
  readonly type: string;
  readonly values: readonly Asn1[];
}

/** What a verifier needs from a CMS SignedData with exactly one SignerInfo. */
export interface ParsedSignedData {
  readonly certificates: readonly Buffer[];
  readonly signer: {
    readonly identifier: SignerIdentifier;
    readonly digestAlgorithm: string;
    readonly signatureAlgorithm: string;
    /** DER of the signed attributes as the SET the signature covers. */
    readonly signedAttributesDer: Buffer;
    readonly signedAttributes: readonly SignedAttribute[];
    readonly signature: Buffer;
  };
}

/** The CMS is unusable; the message says why, for a verdict. */
export class CmsFormatError extends Error {}

function fail(reason: string): never {
  throw new CmsFormatError(reason);
}

function signerIdentifierOf(node: Asn1 | undefined): SignerIdentifier {
  if (isContextTag(node, 0)) {
    const keyId = primitiveBytes(node) ?? primitiveBytes(childrenOf(node)[0]);
    return keyId ? { kind: 'key-id', keyId } : fail('unreadable subjectKeyIdentifier');
  }
  const [issuer, serial] = childrenOf(node);
  if (!issuer || !serial || serial.type !== forge.asn1.Type.INTEGER) fail('unreadable IssuerAndSerialNumber');
  return { kind: 'issuer-serial', issuer: derOf(issuer), serial: derOf(serial) };
}

function attributesOf(node: Asn1): SignedAttribute[] {
  return childrenOf(node).map((attribute) => {
    const [type, values] = childrenOf(attribute);
    const oid = oidOf(type);
    if (!oid || !values || values.type !== forge.asn1.Type.SET) fail('malformed signed attribute');
    return { type: oid, values: childrenOf(values) };
  });
}

/**
 * Reads a ContentInfo holding a detached SignedData with one SignerInfo and
 * signed attributes, followed by nothing but zero padding (a PDF /Contents
 * placeholder is wider than the signature). Throws CmsFormatError (never
 * anything else) when the structure is not that.
 */
export function parseSignedData(bytes: Uint8Array): ParsedSignedData {
  let root: Asn1;
  try {
    const parsed = parseAsn1Prefix(bytes);
    root = parsed.node;
    if (!bytes.subarray(parsed.length).every((byte) => byte === 0)) fail('bytes other than zero padding follow the CMS');
  } catch (error) {
    if (error instanceof CmsFormatError) throw error;
    fail(`not DER/BER: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
  try {
    return readSignedData(root);
  } catch (error) {
    if (error instanceof CmsFormatError) throw error;
    fail(`unexpected structure: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
}

function readSignedData(root: Asn1): ParsedSignedData {
  const [contentType, wrapped] = childrenOf(root);
  if (oidOf(contentType) !== OID.signedData) fail('not a CMS SignedData');
  if (!isContextTag(wrapped, 0)) fail('SignedData content missing');
  const fields = childrenOf(childrenOf(wrapped)[0]);
  const [, , encapsulated] = fields;
  if (oidOf(childrenOf(encapsulated)[0]) !== OID.data) fail('encapsulated content type is not id-data');
  if (childrenOf(encapsulated).length > 1) fail('not detached: content is embedded');

  const certificateSet = fields.find((field) => isContextTag(field, 0));
  const certificates = childrenOf(certificateSet)
    .filter((certificate) => certificate.tagClass === forge.asn1.Class.UNIVERSAL && certificate.type === forge.asn1.Type.SEQUENCE)
    .map(derOf);
  const signerInfos = childrenOf(fields.at(-1));
  const [only] = signerInfos;
  if (!only || signerInfos.length !== 1) fail(`expected one SignerInfo, found ${signerInfos.length}`);

  const info = childrenOf(only);
  const [, sid, digestAlgorithm, signedAttributes, signatureAlgorithm, signature] = info;
  if (!isContextTag(signedAttributes, 0)) fail('SignerInfo has no signed attributes');
  const digestOid = oidOf(childrenOf(digestAlgorithm)[0]);
  const signatureOid = oidOf(childrenOf(signatureAlgorithm)[0]);
  const signatureBytes = primitiveBytes(signature);
  if (!digestOid || !signatureOid || !signatureBytes) fail('SignerInfo is incomplete');

  // The signature covers the DER encoding of the attributes with a SET tag (RFC 5652 5.4).
  const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, childrenOf(signedAttributes));
  return {
    certificates,
    signer: {
      identifier: signerIdentifierOf(sid),
      digestAlgorithm: digestOid,
      signatureAlgorithm: signatureOid,
      signedAttributesDer: derOf(asSet),
      signedAttributes: attributesOf(signedAttributes),
      signature: signatureBytes,
    },
  };
}
