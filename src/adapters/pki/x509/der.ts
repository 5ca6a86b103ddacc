import forge from 'node-forge';

/**
 * Typed helpers over node-forge's ASN.1 module. forge represents byte strings
 * as "binary" JS strings (one char per byte) and an ASN.1 node's `value` as
 * either such a string or an array of child nodes; these helpers convert to
 * and from Uint8Array and narrow `value` so callers never touch `any`.
 */

export type Asn1 = forge.asn1.Asn1;

const { Class, Type } = forge.asn1;

/** Thrown by the readers below when DER does not have the expected shape. */
export class DerShapeError extends Error {}

export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function fromBinary(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

/** A JS string as the binary string of its UTF-8 bytes. */
export function utf8Binary(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Parses strict DER that must fill `bytes` exactly. */
export function parseDer(bytes: Uint8Array): Asn1 {
  try {
    return forge.asn1.fromDer(toBinary(bytes), true);
  } catch (error) {
    throw new DerShapeError(`not DER: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export function encodeDer(node: Asn1): Uint8Array {
  return fromBinary(forge.asn1.toDer(node).getBytes());
}

// --- builders ---------------------------------------------------------------

export function sequence(children: readonly (Asn1 | undefined)[]): Asn1 {
  return forge.asn1.create(
    Class.UNIVERSAL,
    Type.SEQUENCE,
    true,
    children.filter((c): c is Asn1 => c !== undefined),
  );
}

export function set(children: readonly Asn1[]): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.SET, true, [...children]);
}

/** The content octets of an OBJECT IDENTIFIER, as a binary string; arcs of any size (forge stops at 32 bits, and a UUID arc under 2.25 has 128). */
function oidContent(dotted: string): string {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  let content = '';
  for (const arc of [first * 40n + second, ...rest]) {
    const groups = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) groups.unshift(Number(value & 0x7fn) | 0x80);
    content += String.fromCharCode(...groups);
  }
  return content;
}

function oidText(content: string): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < content.length; i += 1) {
    const byte = content.charCodeAt(i);
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(value < 80n ? value / 40n : 2n, value < 80n ? value % 40n : value - 80n);
      else arcs.push(value);
      value = 0n;
    }
  }
  return arcs.join('.');
}

export function oid(dotted: string): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.OID, false, oidContent(dotted));
}

export function nullValue(): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
}

export function boolean(value: boolean): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, value ? '\xff' : '\x00');
}

/** INTEGER from big-endian two's-complement bytes (the caller keeps them minimal). */
export function integerBytes(bytes: Uint8Array): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, toBinary(bytes));
}

export function smallInteger(value: number): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(value).getBytes());
}

export function octetString(bytes: Uint8Array): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, toBinary(bytes));
}

/** BIT STRING whose content is whole bytes (no unused bits). */
export function bitStringBytes(bytes: Uint8Array): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, '\x00' + toBinary(bytes));
}

/** A DER NamedBitList: bit 0 is the most significant bit of the first byte; trailing zero bits are dropped. */
export function namedBits(bits: readonly number[]): Asn1 {
  if (bits.length === 0) return forge.asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, '\x00');
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const unused = 7 - (highest % 8);
  return forge.asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, String.fromCharCode(unused) + toBinary(bytes));
}

export function utf8String(text: string): Asn1 {
  return forge.asn1.create(Class.UNIVERSAL, Type.UTF8, false, utf8Binary(text));
}

export function printableString(text: string): Asn1 {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`not a PrintableString: ${text}`);
  return forge.asn1.create(Class.UNIVERSAL, Type.PRINTABLESTRING, false, text);
}

export function bmpString(text: string): Asn1 {
  // forge's DER writer emits a BMPSTRING's JS string as UTF-16BE code units.
  return forge.asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, text);
}

/** [tag] EXPLICIT wrapper (constructed, holds one child). */
export function explicit(tag: number, child: Asn1): Asn1 {
  return forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [child]);
}

/** [tag] IMPLICIT primitive with raw content bytes. */
export function implicitBytes(tag: number, bytes: Uint8Array): Asn1 {
  return forge.asn1.create(Class.CONTEXT_SPECIFIC, tag, false, toBinary(bytes));
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5), whole seconds. */
export function time(date: Date): Asn1 {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`year ${year} cannot be encoded in a certificate`);
  return year < 2050
    ? forge.asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, digits.slice(2) + 'Z')
    : forge.asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, digits + 'Z');
}

// --- readers ----------------------------------------------------------------

export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (node === undefined || !Array.isArray(node.value)) throw new DerShapeError(`${what}: expected a constructed value`);
  return node.value;
}

export function child(node: Asn1 | undefined, index: number, what: string): Asn1 {
  const found = children(node, what)[index];
  if (found === undefined) throw new DerShapeError(`${what}: missing element ${index}`);
  return found;
}

export function primitiveBytes(node: Asn1 | undefined, what: string): string {
  if (node === undefined || typeof node.value !== 'string') throw new DerShapeError(`${what}: expected a primitive value`);
  return node.value;
}

export function isUniversal(node: Asn1 | undefined, type: forge.asn1.Type): node is Asn1 {
  return node !== undefined && node.tagClass === Class.UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, tag: number): node is Asn1 {
  return node !== undefined && node.tagClass === Class.CONTEXT_SPECIFIC && (node.type as number) === tag;
}

export function readOid(node: Asn1 | undefined, what: string): string {
  if (!isUniversal(node, Type.OID)) throw new DerShapeError(`${what}: expected an OBJECT IDENTIFIER`);
  return oidText(primitiveBytes(node, what));
}

export function readOctets(node: Asn1 | undefined, what: string): Uint8Array {
  if (!isUniversal(node, Type.OCTETSTRING)) throw new DerShapeError(`${what}: expected an OCTET STRING`);
  return fromBinary(primitiveBytes(node, what));
}

export function readBoolean(node: Asn1 | undefined, what: string): boolean {
  if (!isUniversal(node, Type.BOOLEAN)) throw new DerShapeError(`${what}: expected a BOOLEAN`);
  return primitiveBytes(node, what) !== '\x00';
}

/** Non-negative INTEGER that fits a JS number. */
export function readSmallInteger(node: Asn1 | undefined, what: string): number {
  if (!isUniversal(node, Type.INTEGER)) throw new DerShapeError(`${what}: expected an INTEGER`);
  const bytes = primitiveBytes(node, what);
  if (bytes.length === 0 || bytes.length > 6 || bytes.charCodeAt(0) >= 0x80) throw new DerShapeError(`${what}: integer out of range`);
  let value = 0;
  for (let i = 0; i < bytes.length; i += 1) value = value * 256 + bytes.charCodeAt(i);
  return value;
}

/**
 * A BIT STRING's content: the unused-bits count and the bytes. forge decodes
 * a BIT STRING that happens to hold DER into child nodes, but always keeps
 * the original content (with the leading unused-bits byte) in
 * `bitStringContents`; that is what is read here.
 */
export function readBitString(node: Asn1 | undefined, what: string): { unusedBits: number; bytes: Uint8Array } {
  if (!isUniversal(node, Type.BITSTRING)) throw new DerShapeError(`${what}: expected a BIT STRING`);
  const raw: unknown = (node as Asn1 & { bitStringContents?: unknown }).bitStringContents;
  const content = typeof raw === 'string' ? raw : primitiveBytes(node, what);
  if (content.length === 0) throw new DerShapeError(`${what}: empty BIT STRING`);
  return { unusedBits: content.charCodeAt(0), bytes: fromBinary(content.slice(1)) };
}

/** Whether bit `index` of a NamedBitList is set. */
export function bitIsSet(bits: { bytes: Uint8Array }, index: number): boolean {
  const byte = bits.bytes[index >> 3];
  return byte !== undefined && (byte & (0x80 >> (index & 7))) !== 0;
}

export function readTime(node: Asn1 | undefined, what: string): Date {
  if (isUniversal(node, Type.UTCTIME)) return forge.asn1.utcTimeToDate(primitiveBytes(node, what));
  if (isUniversal(node, Type.GENERALIZEDTIME)) return forge.asn1.generalizedTimeToDate(primitiveBytes(node, what));
  throw new DerShapeError(`${what}: expected a UTCTime or GeneralizedTime`);
}

export { Class as Asn1Class, Type as Asn1Type };
