/** Key algorithms a department may sign with. Both sign SHA-256 digests. */
export const SIGNATURE_ALGORITHMS = ['RSA-SHA256', 'ECDSA-P256-SHA256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** What a person or a log may know about a certificate. */
export interface CertificateSummary {
  /** RFC 4514-style subject, e.g. `CN=福州市市场监督管理局,O=…`. */
  readonly subject: string;
  readonly issuer: string;
  /** Upper-case hex. */
  readonly serialNumber: string;
  /** Lower-case hex SHA-256 of the DER certificate. */
  readonly fingerprint256: string;
  /** ISO 8601 instants. */
  readonly notBefore: string;
  readonly notAfter: string;
}

/**
 * A department's signing key. Implementations hold the private key (a P12
 * decrypted once into a KeyObject, or a key inside an HSM that never leaves
 * it) and expose only the operation.
 */
export interface Signer {
  readonly algorithm: SignatureAlgorithm;
  /** DER certificates, the signer's first, then its issuers up to (and optionally including) the root. */
  readonly certificateChain: readonly Uint8Array[];
  readonly certificate: CertificateSummary;
  /** Signs `data` (the DER of CMS signed attributes): SHA-256, then the private-key operation. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}
