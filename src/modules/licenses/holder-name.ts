import { LicenseError } from '../../shared/errors.js';
import { HOLDER_NAME_MAX_LENGTH } from './limits.js';

/*
 * Characters a holder name (持证主体名称) never needs and an attacker can use:
 * controls (Cc), invisible formatting (Cf: right-to-left overrides U+202E,
 * zero-width U+200B–U+200D, U+2060, U+FEFF, soft hyphen), line and paragraph
 * separators (Zl, Zp), private-use and lone surrogates (Co, Cs), and the
 * markup brackets < and >. The name is printed on the license's face, shown
 * to verifiers and compared by field checks: what it shows must be what it is.
 * `&` stays allowed: company names use it.
 */
const REFUSED_IN_HOLDER_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}<>]/u;

/** Whether a trimmed holder name is 1..100 characters of printable text without markup brackets. */
export function isAcceptableHolderName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= HOLDER_NAME_MAX_LENGTH && !REFUSED_IN_HOLDER_NAME.test(name);
}

/** The holder name as stored: trimmed and NFC-normalised, or ERR_HOLDER_NAME_INVALID. */
export function holderNameOf(raw: string): string {
  const name = raw.trim().normalize('NFC');
  if (!isAcceptableHolderName(name)) throw new LicenseError('ERR_HOLDER_NAME_INVALID');
  return name;
}
