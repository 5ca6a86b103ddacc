import type { X509Certificate } from 'node:crypto';

export interface CertificatePath {
  /** Signer first, trusted root last. */
  readonly certificates: readonly X509Certificate[];
}

const MAX_PATH_LENGTH = 8;

/** Whether `issuer` issued `subject`: names chain and the issuer's key verifies the subject's signature. */
function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Builds a path from `signer` up to one of `roots`, through the
 * `intermediates` the signature carried. Returns null when there is none.
 * Roots are matched by issuance (name and signature), so a root shipped
 * inside the file counts only if the same certificate is also trusted.
 */
export function buildCertificatePath(signer: X509Certificate, intermediates: readonly X509Certificate[], roots: readonly X509Certificate[]): CertificatePath | null {
  const trusted = new Set(roots.map((root) => root.fingerprint256));
  const path = [signer];
  let current = signer;
  while (path.length <= MAX_PATH_LENGTH) {
    if (trusted.has(current.fingerprint256)) return { certificates: path };
    const root = roots.find((candidate) => issued(candidate, current));
    if (root) return { certificates: [...path, root] };
    const next = intermediates.find((candidate) => !path.includes(candidate) && candidate.ca && issued(candidate, current));
    if (!next) return null;
    path.push(next);
    current = next;
  }
  return null;
}
