import type { CertificateSummary } from '../signing/index.js';

/** Every check a PDF signature verification makes, in the order it makes them. */
export const SIGNATURE_CHECKS = [
  'pdf-structure',
  'signature-present',
  'single-signature',
  'byte-range',
  'whole-file',
  'cms-structure',
  'digest-algorithm',
  'message-digest',
  'signature-value',
  'signing-certificate-binding',
  'certificate-chain',
  'certificate-validity',
  'key-usage',
] as const;
export type SignatureCheckName = (typeof SIGNATURE_CHECKS)[number];

export interface SignatureCheck {
  readonly name: SignatureCheckName;
  readonly ok: boolean;
  /** Why it passed or failed, for people; never holds personal data. */
  readonly detail: string;
}

/** The outcome of verifying a PDF's signature: valid only when every check passed. */
export interface SignatureVerdict {
  readonly valid: boolean;
  /** Checks made, in order; after a failure that makes later checks meaningless, those are reported as not run (ok: false). */
  readonly checks: readonly SignatureCheck[];
  /** The signing certificate, when the CMS could be read. */
  readonly signer: CertificateSummary | null;
  /** Signing time claimed in the signature dictionary's /M, ISO 8601, when present. */
  readonly signedAt: string | null;
  /** Whether the signer certificate is the vault platform's annotated-copy (加注件) certificate (it carries the copy-signing purpose), never a department's. */
  readonly copySigner: boolean;
}

/**
 * Checks a PDF's signature cryptographically. Never throws on hostile input:
 * every failure is a check. It may take the bytes over (a verifier on another
 * thread moves them there instead of copying): the caller must not read
 * `pdf` after the call.
 */
export interface PdfSignatureVerifier {
  verify(pdf: Uint8Array): Promise<SignatureVerdict>;
}
