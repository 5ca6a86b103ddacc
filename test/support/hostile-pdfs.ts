import { deflateSync } from 'node:zlib';
import type { SignatureCheckName } from '../../src/modules/verification/index.js';

const TEN_MIB = 10 * 1024 * 1024;
const HEADER = '%PDF-1.7\n';

/** A lone signature dictionary whose /ByteRange excludes exactly its /Contents, so the CMS inside gets parsed. */
function signatureDictionaryPdf(contentsHex: string): Buffer {
  const before = `${HEADER}1 0 obj\n<< /Type /Sig /ByteRange [0 ########## ########## ##########] /Contents `;
  const after = ' >>\nendobj\n%%EOF\n';
  const gapStart = before.length;
  const gapEnd = gapStart + contentsHex.length + 2;
  const length = gapEnd + after.length;
  const range = [gapStart, gapEnd, length - gapEnd].map((n) => String(n).padStart(10, ' '));
  return Buffer.from(`${before.replace('########## ########## ##########', range.join(' '))}<${contentsHex}>${after}`, 'latin1');
}

/**
 * Inputs up to 10 MiB (the upload limit) built to exhaust a verifier: each
 * must end in a failed verdict, fast, in bounded memory, at the check named.
 */
export const HOSTILE_PDFS: readonly (readonly [name: string, make: () => Buffer, firstFailure: SignatureCheckName])[] = [
  [
    '10 MiB of random bytes behind a PDF header',
    () => {
      const bytes = Buffer.alloc(TEN_MIB);
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 2654435761) >>> 24;
      bytes.write(HEADER, 0, 'latin1');
      return bytes;
    },
    'signature-present',
  ],
  [
    'a decompression bomb in an object stream (64 MiB of zeros)',
    () => {
      const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
      return Buffer.concat([
        Buffer.from(`${HEADER}1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`),
        bomb,
        Buffer.from('\nendstream\nendobj\n%%EOF\n'),
      ]);
    },
    'pdf-structure',
  ],
  ['100,000 nested arrays', () => Buffer.from(`${HEADER}1 0 obj\n${'['.repeat(100_000)}\nendobj\n`), 'pdf-structure'],
  [
    '10 MiB of signature dictionaries',
    () => {
      const one = '1 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n';
      return Buffer.from(`${HEADER}${one.repeat(Math.floor((TEN_MIB - HEADER.length) / one.length))}`);
    },
    'pdf-structure',
  ],
  ['a signature whose /Contents is 5 MiB of nested ASN.1', () => signatureDictionaryPdf(Buffer.alloc(5 * 1024 * 1024 - 64, 0x30).toString('hex')), 'cms-structure'],
  [
    'a signature whose /Contents holds deeply nested BER within the size limit',
    () => {
      const depth = 2000;
      return signatureDictionaryPdf(
        Buffer.concat([...Array.from({ length: depth }, () => Buffer.from([0x30, 0x80])), ...Array.from({ length: depth }, () => Buffer.from([0, 0]))]).toString('hex'),
      );
    },
    'cms-structure',
  ],
  [
    'an unterminated string to the end of 10 MiB',
    () => {
      const prefix = Buffer.from(`${HEADER}1 0 obj\n<< /Type /Sig /Contents (`);
      return Buffer.concat([prefix, Buffer.alloc(TEN_MIB - prefix.length, 0x41)]);
    },
    'pdf-structure',
  ],
];
