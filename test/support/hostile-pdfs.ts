import { deflateSync } from 'node:zlib';

const TEN_MIB = 10 * 1024 * 1024;

/** Inputs up to 10 MiB built to exhaust a verifier: each must end in a failed verdict, fast, in bounded memory. */
export const HOSTILE_PDFS: readonly (readonly [name: string, make: () => Buffer])[] = [
  [
    '10 MiB of random bytes behind a PDF header',
    () => {
      const bytes = Buffer.alloc(TEN_MIB);
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 2654435761) >>> 24;
      bytes.write('%PDF-1.7\n', 0, 'latin1');
      return bytes;
    },
  ],
  [
    'a decompression bomb in an object stream (64 MiB of zeros)',
    () => {
      const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
      return Buffer.concat([Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream\nendobj\n%%EOF\n')]);
    },
  ],
  ['100,000 nested arrays', () => Buffer.from(`%PDF-1.7\n1 0 obj\n${'['.repeat(100_000)}\nendobj\n`)],
  ['10 MiB of signature dictionaries', () => Buffer.from(`%PDF-1.7\n${'1 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n'.repeat(Math.floor(TEN_MIB / 64))}`)],
  [
    'a signature whose /Contents is 5 MiB of nested ASN.1',
    () => Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [0 20 40 60] /Contents <${Buffer.alloc(5 * 1024 * 1024 - 64, 0x30).toString('hex')}> >>\nendobj\n%%EOF\n`),
  ],
  [
    'a signature whose /Contents holds deeply nested BER within the size limit',
    () => {
      const depth = 2000;
      const der = Buffer.concat([...Array.from({ length: depth }, () => Buffer.from([0x30, 0x80])), ...Array.from({ length: depth }, () => Buffer.from([0, 0]))]);
      return Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [0 9 ${9 + der.length * 2 + 2} 0] /Contents <${der.toString('hex')}> >>\nendobj\n`);
    },
  ],
  ['an unterminated string to the end of 10 MiB', () => Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Sig /Contents ('), Buffer.alloc(TEN_MIB - 40, 0x41)])],
];
