/**
 * Just enough DER writing to assemble CMS structures by concatenation: the
 * per-signature part of a SignedData is a handful of small TLVs, and building
 * them as bytes is far cheaper than going through an ASN.1 object model.
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value element with the given tag byte. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export const sequence = (...content: readonly Uint8Array[]): Buffer => tlv(0x30, ...content);
export const octetString = (content: Uint8Array): Buffer => tlv(0x04, content);
export const NULL = Buffer.from([0x05, 0x00]);

/** SET OF in DER: members sorted by their encodings (X.690 11.6). */
export function setOf(members: readonly Uint8Array[], tag = 0x31): Buffer {
  return tlv(tag, ...[...members].sort((a, b) => Buffer.compare(a, b)));
}

/** A non-negative INTEGER that fits a JavaScript number. */
export function smallInteger(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** AlgorithmIdentifier without parameters (digests, ECDSA) or with NULL (RSA). */
export function algorithm(dotted: string, nullParameters = false): Buffer {
  return nullParameters ? sequence(oid(dotted), NULL) : sequence(oid(dotted));
}
