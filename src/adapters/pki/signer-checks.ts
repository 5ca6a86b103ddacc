import type { CertificateSummary } from '../../modules/signing/index.js';
import { SigningError } from '../../shared/errors.js';
import { DOCUMENT_SIGNING_EKUS, OID } from './x509/oids.js';
import { certificateUsage } from './x509/usage.js';

/**
 * Checks every signer makes on its certificate, whatever holds the key
 * (a PKCS#12 key store or a PKCS#11 token).
 */

/**
 * The certificate must be an end-entity certificate whose keyUsage allows
 * digitalSignature or nonRepudiation and whose extKeyUsage, when present,
 * allows document signing.
 * @throws SigningError ERR_SIGNER_CERT_USAGE, or ERR_SIGNER_KEY_STORE_INVALID
 *   when the extensions cannot be read.
 */
export function checkDocumentSigningUsage(der: Uint8Array, subject: string): void {
  let usage;
  try {
    usage = certificateUsage(der);
  } catch (error) {
    throw new SigningError(
      'ERR_SIGNER_KEY_STORE_INVALID',
      `the signing certificate's extensions cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      { cause: error },
    );
  }
  if (usage.isCa) throw new SigningError('ERR_SIGNER_CERT_USAGE', `certificate ${subject} is a CA certificate, not a document-signing certificate`);
  if (!usage.keyUsage) throw new SigningError('ERR_SIGNER_CERT_USAGE', `certificate ${subject} has no keyUsage extension allowing digitalSignature or nonRepudiation`);
  if (!usage.keyUsage.digitalSignature && !usage.keyUsage.nonRepudiation) {
    throw new SigningError('ERR_SIGNER_CERT_USAGE', `certificate ${subject} key usage allows neither digitalSignature nor nonRepudiation`);
  }
  const ekus = usage.extKeyUsage;
  if (ekus !== null && !ekus.some((eku) => eku === OID.anyExtendedKeyUsage || DOCUMENT_SIGNING_EKUS.includes(eku))) {
    throw new SigningError('ERR_SIGNER_CERT_USAGE', `certificate ${subject} extended key usage (${ekus.join(', ')}) does not allow document signing`);
  }
}

/** @throws SigningError ERR_SIGNER_CERT_NOT_YET_VALID / ERR_SIGNER_CERT_EXPIRED outside the certificate's validity at `now`. */
export function checkCertificateValidity(summary: CertificateSummary, now: Date): void {
  if (now.getTime() < Date.parse(summary.notBefore)) {
    throw new SigningError('ERR_SIGNER_CERT_NOT_YET_VALID', `certificate ${summary.subject} is not valid before ${summary.notBefore} (now ${now.toISOString()})`, {
      notBefore: summary.notBefore,
    });
  }
  if (now.getTime() > Date.parse(summary.notAfter)) {
    throw new SigningError('ERR_SIGNER_CERT_EXPIRED', `certificate ${summary.subject} expired at ${summary.notAfter} (now ${now.toISOString()})`, {
      notAfter: summary.notAfter,
    });
  }
}
