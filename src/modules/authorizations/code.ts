import { createHash, randomInt } from 'node:crypto';
import { AuthorizationError } from '../../shared/errors.js';

/**
 * The symbols of a 用证码: digits 2–9 and the letters A–Z without I, L, O and
 * U, so that nothing read off a phone screen or typed at a window is mistaken
 * for another symbol (0/O, 1/I/L, U/V). 30 symbols.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Symbols in a 用证码. */
export const CODE_LENGTH = 8;
/** Randomness of one code: 8 × log2(30) ≈ 39.3 bits (30^8 ≈ 6.6 × 10^11 codes). */
export const CODE_BITS = CODE_LENGTH * Math.log2(CODE_ALPHABET.length);

const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
/** What people put between symbols when they type or copy a code: spaces (any width) and dashes. */
const SEPARATORS = /[\s\-‐‑‒–—－_]/gu;
/** Longest input read as a code, separators included: anything longer is malformed without more work. */
const MAX_TYPED_LENGTH = 32;

/** A fresh code from the operating system's CSPRNG, each symbol uniform (randomInt rejects biased draws). */
export function generateCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * A typed or scanned code in its one stored form: full-width letters and
 * digits folded to ASCII, upper-case, spaces and dashes removed.
 *
 * @throws AuthorizationError ERR_AUTHORIZATION_CODE_MALFORMED when what is left is not 8 symbols of the alphabet
 */
export function normalizeCode(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > MAX_TYPED_LENGTH) throw new AuthorizationError('ERR_AUTHORIZATION_CODE_MALFORMED');
  const code = raw.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
  if (!CODE_PATTERN.test(code)) throw new AuthorizationError('ERR_AUTHORIZATION_CODE_MALFORMED');
  return code;
}

/** How a code is shown to people: two groups of four, `ABCD-EF23`. */
export function displayCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What the store keeps of a code: its SHA-256 (hex). The code itself is shown
 * once, at creation. A leaked hash gives no more than the store already holds:
 * the licenses a code unlocks are in the same database.
 */
export function hashCode(code: string): string {
  return createHash('sha256').update(`license-vault:authorization-code:${code}`).digest('hex');
}

/** The last two symbols, for the holder's list, which never shows the code: `••••-••F2`. */
export function codeHint(code: string): string {
  return code.slice(-2);
}
