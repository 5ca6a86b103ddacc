import { LicenseError } from '../../shared/errors.js';

/** A required free text of 1..`max` characters (purpose of use, reason, holder name), trimmed and NFC-normalised. */
export function requiredText(raw: string, max: number, code: LicenseError['code']): string {
  const text = raw.trim().normalize('NFC');
  if (text.length === 0 || [...text].length > max || /\p{Cc}/u.test(text)) throw new LicenseError(code);
  return text;
}
