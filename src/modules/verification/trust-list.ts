import type { CertificateSummary } from '../signing/index.js';

/** A root certificate this vault trusts, as published to verifiers. */
export interface TrustedRootView {
  readonly pem: string;
  readonly summary: CertificateSummary;
}

/** The roots signatures must chain to (several at once: key rotation, other authorities). */
export interface TrustList {
  roots(): readonly TrustedRootView[];
}
