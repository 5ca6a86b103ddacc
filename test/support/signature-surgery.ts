import { createHash } from 'node:crypto';
import { parseAsn1Prefix } from '../../src/adapters/pki/cms/asn1.js';
import { CadesSignedDataBuilder } from '../../src/adapters/pki/cms/signed-data-builder.js';
import type { Signer } from '../../src/modules/signing/index.js';

/**
 * Edits the one signature of a signed PDF in place, keeping the file length
 * and every other byte: what a forger does with a hex editor.
 */

/** Where the (first) signature dictionary's /ByteRange array and /Contents hex string sit; `*End` exclusive. */
export interface SignatureLayout {
  readonly range: readonly number[];
  readonly byteRangeStart: number;
  readonly byteRangeEnd: number;
  readonly contentsStart: number;
  readonly contentsEnd: number;
}

export function signatureLayout(pdf: Uint8Array): SignatureLayout {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const byteRange = /\/ByteRange\s*(\[[^\]]*\])/.exec(text);
  const contents = /\/Contents\s*(<[0-9A-Fa-f]*>)/.exec(text);
  if (!byteRange?.[1] || !contents?.[1]) throw new Error('no signature dictionary in this PDF');
  const byteRangeStart = byteRange.index + byteRange[0].length - byteRange[1].length;
  const contentsStart = contents.index + contents[0].length - contents[1].length;
  return {
    range: byteRange[1].slice(1, -1).trim().split(/\s+/).map(Number),
    byteRangeStart,
    byteRangeEnd: byteRangeStart + byteRange[1].length,
    contentsStart,
    contentsEnd: contentsStart + contents[1].length,
  };
}

/** A copy whose /ByteRange reads `range`, space-padded to the original width. */
export function withByteRange(pdf: Uint8Array, range: readonly number[]): Buffer {
  const layout = signatureLayout(pdf);
  const width = layout.byteRangeEnd - layout.byteRangeStart;
  const text = `[${range.join(' ')}`;
  if (text.length + 1 > width) throw new Error(`byte range ${text}] is wider than the ${width} bytes reserved`);
  const copy = Buffer.from(pdf);
  copy.write(`${text.padEnd(width - 1, ' ')}]`, layout.byteRangeStart, 'latin1');
  return copy;
}

/**
 * The DER element at the start of `bytes`, without the zero padding after it. Cut by the element's own length:
 * stripping trailing zero bytes would also cut a signature whose last byte happens to be 0x00.
 */
export function derPrefix(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.subarray(0, parseAsn1Prefix(bytes).length));
}

/** The DER in /Contents, trailing zero padding removed. */
export function contentsOf(pdf: Uint8Array): Buffer {
  const layout = signatureLayout(pdf);
  return derPrefix(Buffer.from(Buffer.from(pdf.subarray(layout.contentsStart + 1, layout.contentsEnd - 1)).toString('latin1'), 'hex'));
}

/** A copy whose /Contents holds `der` as hex, zero-padded to the reserved width. */
export function withContents(pdf: Uint8Array, der: Uint8Array): Buffer {
  const layout = signatureLayout(pdf);
  const width = layout.contentsEnd - layout.contentsStart - 2;
  const hex = Buffer.from(der).toString('hex');
  if (hex.length > width) throw new Error(`a ${der.length}-byte CMS does not fit the ${width / 2} bytes reserved`);
  const copy = Buffer.from(pdf);
  copy.write(hex.padEnd(width, '0'), layout.contentsStart + 1, 'latin1');
  return copy;
}

/** The bytes the signature's /ByteRange covers, concatenated. */
export function signedBytes(pdf: Uint8Array): Buffer {
  const [a = 0, b = 0, c = 0, d = 0] = signatureLayout(pdf).range;
  return Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
}

/** The same file signed again by `signer` over the same byte range: a correct signature by someone else. */
export async function resign(pdf: Uint8Array, signer: Signer): Promise<Buffer> {
  const digest = createHash('sha256').update(signedBytes(pdf)).digest();
  return withContents(pdf, await new CadesSignedDataBuilder().createDetachedSignature(digest, signer));
}
