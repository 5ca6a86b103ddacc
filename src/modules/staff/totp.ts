/** RFC 6238 as the console's authenticator apps use it: HMAC-SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after the current one are accepted too (clock drift of the phone). */
export const TOTP_WINDOW_STEPS = 1;
/** Issuer shown by authenticator apps. */
export const TOTP_ISSUER = '电子证照库';

/** Time-based one-time passwords (implemented by an adapter). */
export interface TotpAlgorithm {
  /** A new random shared secret (160 bits), base32. */
  generateSecret(): string;
  /** The code `secret` gives at time step `step`. */
  codeAt(secret: string, step: number): string;
  /** The otpauth:// URI an app scans: issuer, account label, SHA1, 6 digits, 30 s. */
  uri(secret: string, issuer: string, label: string): string;
}

/** The RFC 6238 time step of an instant. */
export function stepOf(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step whose code `code` is, within ±{@link TOTP_WINDOW_STEPS} of
 * `at` and later than `afterStep` (a code once accepted is never accepted
 * again), or null. Every candidate is compared, so timing says nothing about
 * which one matched.
 */
export function matchingStep(totp: TotpAlgorithm, secret: string, code: string, at: Date, afterStep = -1): number | null {
  const now = stepOf(at);
  let matched: number | null = null;
  for (let step = now - TOTP_WINDOW_STEPS; step <= now + TOTP_WINDOW_STEPS; step++) {
    if (constantTimeEqual(totp.codeAt(secret, step), code) && step > afterStep && matched === null) matched = step;
  }
  return matched;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
