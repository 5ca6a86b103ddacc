import { asBuffer, CR, HEX, LF } from './lexer.js';
import type { PdfString } from './parser.js';

/** The bytes a string value stands for: hex digits paired (an odd last digit is padded with 0), or a literal string's escapes resolved. */
export function stringBytes(value: PdfString): Uint8Array {
  const src = value.source;
  const last = value.end - 1;
  if (value.hex) {
    // Fast path, natively: an even run of hex digits and nothing else (Node's decoder stops at the first non-hex pair).
    const digits = last - value.start - 1;
    if (digits % 2 === 0) {
      const decoded = Buffer.from(Buffer.from(src.buffer, src.byteOffset + value.start + 1, digits).toString('latin1'), 'hex');
      if (decoded.length * 2 === digits) return decoded;
    }
    const out = new Uint8Array(Math.ceil(digits / 2));
    let n = 0;
    let high = -1;
    for (let i = value.start + 1; i < last; i += 1) {
      const digit = HEX[src[i]!]!;
      if (digit === 255) continue;
      if (high < 0) high = digit;
      else {
        out[n++] = high * 16 + digit;
        high = -1;
      }
    }
    if (high >= 0) out[n++] = high * 16;
    return out.subarray(0, n);
  }
  const out = new Uint8Array(last - value.start - 1);
  let n = 0;
  for (let i = value.start + 1; i < last; i += 1) {
    const byte = src[i]!;
    if (byte === CR) {
      // An end of line inside a literal string is a single LF, whatever it was written as.
      out[n++] = LF;
      if (src[i + 1] === LF) i += 1;
    } else if (byte !== 0x5c) out[n++] = byte;
    else {
      i += 1;
      const escaped = src[i]!;
      switch (escaped) {
        case 0x6e:
          out[n++] = LF;
          break;
        case 0x72:
          out[n++] = CR;
          break;
        case 0x74:
          out[n++] = 0x09;
          break;
        case 0x62:
          out[n++] = 0x08;
          break;
        case 0x66:
          out[n++] = 0x0c;
          break;
        case CR:
          if (src[i + 1] === LF) i += 1;
          break;
        case LF:
          break;
        default:
          if (escaped >= 0x30 && escaped <= 0x37) {
            let code = escaped - 0x30;
            for (let k = 0; k < 2 && i + 1 < last && src[i + 1]! >= 0x30 && src[i + 1]! <= 0x37; k += 1) {
              i += 1;
              code = code * 8 + (src[i]! - 0x30);
            }
            out[n++] = code & 0xff;
          } else out[n++] = escaped;
      }
    }
  }
  return out.subarray(0, n);
}

/** A text string's characters: UTF-16BE after a BOM, UTF-8 after its BOM (PDF 2.0), else byte by byte (PDFDocEncoding's ASCII range). */
export function textOf(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return asBuffer(bytes).toString('utf8', 3);
  return asBuffer(bytes).toString('latin1');
}
