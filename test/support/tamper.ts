import type { Signer } from '../../src/modules/signing/index.js';
import { sign, type KeyObject } from 'node:crypto';
import { summarizeCertificate } from '../../src/adapters/pki/x509/index.js';

/** Flips every bit of the byte at `offset` in a copy. */
export function flipByte(pdf: Uint8Array, offset: number): Uint8Array {
  const copy = new Uint8Array(pdf);
  copy[offset] = (copy[offset] ?? 0) ^ 0xff;
  return copy;
}

/**
 * TEST ONLY: a Signer straight from a key and chain, skipping every check the
 * P12 signer makes — how an attacker (or a careless tool) signs with an
 * expired certificate, so that verifiers can be shown to refuse it.
 */
export function uncheckedSigner(privateKey: KeyObject, chain: readonly Uint8Array[]): Signer {
  const [certificate] = chain;
  if (!certificate) throw new TypeError('empty chain');
  return {
    algorithm: privateKey.asymmetricKeyType === 'ec' ? 'ECDSA-P256-SHA256' : 'RSA-SHA256',
    certificateChain: chain,
    certificate: summarizeCertificate(certificate),
    sign: async (data) => sign('sha256', data, privateKey),
  };
}

/**
 * Re-encodes DER as BER with indefinite lengths on every constructed element
 * (what streaming encoders emit): same content, different bytes.
 */
export function toIndefiniteLengthBer(der: Uint8Array): Buffer {
  const out: Buffer[] = [];
  const walk = (offset: number, end: number): void => {
    while (offset < end) {
      const tag = der[offset]!;
      const lengthByte = der[offset + 1]!;
      let header = 2;
      let length = lengthByte;
      if (lengthByte & 0x80) {
        const count = lengthByte & 0x7f;
        length = 0;
        for (let i = 0; i < count; i += 1) length = length * 256 + der[offset + 2 + i]!;
        header += count;
      }
      const contentStart = offset + header;
      if (tag & 0x20) {
        out.push(Buffer.from([tag, 0x80]));
        walk(contentStart, contentStart + length);
        out.push(Buffer.from([0, 0]));
      } else {
        out.push(Buffer.from(der.subarray(offset, contentStart + length)));
      }
      offset = contentStart + length;
    }
  };
  walk(0, der.length);
  return Buffer.concat(out);
}

/** An offset inside the data of the first stream: changing it keeps the file parseable but alters signed content. */
export function offsetInFirstStream(pdf: Uint8Array): number {
  const start = Buffer.from(pdf).indexOf('stream\n');
  if (start < 0) throw new Error('no stream in this PDF');
  return start + 'stream\n'.length + 16;
}
