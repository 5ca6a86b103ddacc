import { X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/** A DER certificate as PEM (64-character base64 lines, trailing newline). */
export function certificateToPem(der: Uint8Array): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The certificates in a file's bytes: every CERTIFICATE block of a PEM file
 * (text around the blocks, such as OpenSSL's "Bag Attributes", is ignored),
 * or the whole file as one DER certificate. Each is checked by Node's X.509
 * parser.
 * @throws Error saying why when the bytes hold no readable certificate.
 */
export function readCertificates(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let ders: Uint8Array[];
  if (text.includes('-----BEGIN ')) {
    ders = [...text.matchAll(PEM_CERTIFICATE)].map((match) => new Uint8Array(Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64')));
    if (ders.length === 0) throw new Error('PEM file holds no CERTIFICATE block');
  } else {
    ders = [new Uint8Array(bytes)];
  }
  ders.forEach((der, index) => {
    try {
      new X509Certificate(der);
    } catch (error) {
      const which = ders.length > 1 ? `certificate ${index + 1}` : 'content';
      throw new Error(`${which} is not an X.509 certificate (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  });
  return ders;
}
