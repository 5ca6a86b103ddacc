import forge from 'node-forge';
import { isContext, toBinary, type Asn1 } from '../x509/der.js';

/**
 * Lenient readers for CMS from untrusted files: they return null or empty
 * instead of throwing, and parse BER as well as DER. The strict builders and
 * readers for certificates are in ../x509/der.ts.
 */
export type { Asn1 };

function fromBinary(binary: string): Buffer {
  return Buffer.from(binary, 'latin1');
}

interface FromDerOptions {
  readonly strict: boolean;
  readonly parseAllBytes: boolean;
  readonly decodeBitStrings: boolean;
  readonly maxDepth: number;
}
/** forge 1.3 takes an options object; @types/node-forge still declares the old boolean. */
const fromDer = forge.asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: FromDerOptions) => Asn1;

/**
 * Parses one DER or BER element (definite or indefinite lengths) from the
 * start of `bytes`, nesting at most 64 deep, and says how many bytes it took.
 */
export function parseAsn1Prefix(bytes: Uint8Array): { node: Asn1; length: number } {
  const buffer = forge.util.createBuffer(toBinary(bytes));
  const node = fromDer(buffer, { strict: true, parseAllBytes: false, decodeBitStrings: false, maxDepth: 64 });
  return { node, length: bytes.length - buffer.length() };
}

/** Parses the element at the start of `bytes`; trailing bytes are ignored. */
export function parseAsn1(bytes: Uint8Array): Asn1 {
  return parseAsn1Prefix(bytes).node;
}

/** The DER encoding of a parsed element (BER input comes out as DER). */
export function derOf(node: Asn1): Buffer {
  return fromBinary(forge.asn1.toDer(node).getBytes());
}

export function childrenOf(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

export function primitiveBytes(node: Asn1 | undefined): Buffer | null {
  return node && typeof node.value === 'string' ? fromBinary(node.value) : null;
}

export function oidOf(node: Asn1 | undefined): string | null {
  if (!node || node.tagClass !== forge.asn1.Class.UNIVERSAL || node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') return null;
  return forge.asn1.derToOid(node.value);
}

export const isContextTag = isContext;

export function isSequence(node: Asn1 | undefined): node is Asn1 {
  return node?.tagClass === forge.asn1.Class.UNIVERSAL && node.type === forge.asn1.Type.SEQUENCE;
}

/** The raw issuer Name and serialNumber INTEGER of a DER certificate, as encoded in it. */
export function issuerAndSerialOf(certificateDer: Uint8Array): { issuer: Buffer; serial: Buffer } {
  const tbs = childrenOf(parseAsn1(certificateDer))[0];
  const fields = childrenOf(tbs);
  const offset = isContextTag(fields[0], 0) ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (!serial || !issuer) throw new TypeError('not an X.509 certificate');
  return { issuer: derOf(issuer), serial: derOf(serial) };
}
