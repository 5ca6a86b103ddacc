import { X509Certificate } from 'node:crypto';
import type { CertificateSummary } from '../../../modules/signing/index.js';
import { memoizeByDer } from './der-memo.js';
import { parseCertificate } from './parse.js';

/**
 * Node prints a Name one attribute per line, most general first, with values
 * escaped per RFC 2253 (so a value never holds a raw newline or comma).
 * RFC 4514 order is the reverse, comma-separated: `CN=…,O=…,C=CN`.
 */
function rfc4514(multiline: string): string {
  return multiline
    .split('\n')
    .filter((line) => line.length > 0)
    .reverse()
    .join(',');
}

/**
 * What a person or a log may know about a DER certificate: subject and
 * issuer RFC 4514-style in one line (as Node's X509Certificate reads them),
 * serial in upper-case hex, SHA-256 fingerprint in lower-case hex without
 * colons, validity as ISO instants (read from the DER's Validity).
 * @throws when the bytes are not a certificate.
 */
export const summarizeCertificate: (der: Uint8Array) => CertificateSummary = memoizeByDer(summarize);

function summarize(der: Uint8Array): CertificateSummary {
  const certificate = new X509Certificate(der);
  const { notBefore, notAfter } = parseCertificate(der);
  return Object.freeze({
    subject: rfc4514(certificate.subject),
    issuer: rfc4514(certificate.issuer),
    serialNumber: certificate.serialNumber.toUpperCase(),
    fingerprint256: certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  });
}
