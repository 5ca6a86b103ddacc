import { LicenseError } from '../../shared/errors.js';

/** A required free text of 1..200 characters (purpose of use, reason), trimmed and NFC-normalised. */
export function requiredText(raw: unknown, code: LicenseError['code']): string {
  const text = typeof raw === 'string' ? raw.trim().normalize('NFC') : '';
  if (text.length === 0 || [...text].length > 200 || /\p{Cc}/u.test(text)) throw new LicenseError(code);
  return text;
}
