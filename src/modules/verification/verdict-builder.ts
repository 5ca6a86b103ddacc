import type { CertificateSummary } from '../signing/index.js';
import { SIGNATURE_CHECKS, type SignatureCheck, type SignatureCheckName, type SignatureVerdict } from './verdict.js';

/**
 * Collects checks in order. A verdict is valid only if every check of
 * {@link SIGNATURE_CHECKS} was made and passed; checks never reached are
 * reported as not run, so a verdict always lists all of them.
 */
export class VerdictBuilder {
  private readonly checks: SignatureCheck[] = [];
  private signer: CertificateSummary | null = null;
  private signedAt: string | null = null;
  private copySigner = false;

  pass(name: SignatureCheckName, detail: string): void {
    this.checks.push({ name, ok: true, detail });
  }

  fail(name: SignatureCheckName, detail: string): void {
    this.checks.push({ name, ok: false, detail });
  }

  /** Records a check's outcome and returns it, so a failed gate can end the run. */
  check(name: SignatureCheckName, ok: boolean, detail: string): boolean {
    this.checks.push({ name, ok, detail });
    return ok;
  }

  withSigner(signer: CertificateSummary): void {
    this.signer = signer;
  }

  withSigningTime(signedAt: string | null): void {
    this.signedAt = signedAt;
  }

  /** The signer certificate carries the annotated-copy signing purpose. */
  withCopySigner(copySigner: boolean): void {
    this.copySigner = copySigner;
  }

  /** The verdict, with every check not made marked as not run because of `stoppedBecause`. */
  build(stoppedBecause = 'an earlier check failed'): SignatureVerdict {
    const made = new Set(this.checks.map((c) => c.name));
    const notRun = SIGNATURE_CHECKS.filter((name) => !made.has(name)).map((name) => ({ name, ok: false, detail: `not run: ${stoppedBecause}` }));
    const checks = [...this.checks, ...notRun];
    return { valid: notRun.length === 0 && checks.every((c) => c.ok), checks, signer: this.signer, signedAt: this.signedAt, copySigner: this.copySigner };
  }
}
