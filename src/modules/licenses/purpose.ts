import { maskIdentityNumbersInText } from '../identity/index.js';
import { PURPOSE_MAX_LENGTH, PURPOSE_MIN_LENGTH } from './limits.js';
import { requiredText } from './text-input.js';
import { LicenseError } from '../../shared/errors.js';

/**
 * A purpose of use (用证事由) that says something: after trimming at least
 * {@link PURPOSE_MIN_LENGTH} characters, two of them letters (any script),
 * and not one character repeated. Returned with any ID number in it masked,
 * as the audit log keeps it. One check for look-ups, reads and downloads.
 *
 * @throws LicenseError ERR_PURPOSE_REQUIRED
 */
export function meaningfulPurpose(raw: string | undefined): string {
  const text = requiredText(raw ?? '', PURPOSE_MAX_LENGTH, 'ERR_PURPOSE_REQUIRED');
  const characters = [...text];
  const letters = characters.filter((c) => /\p{L}/u.test(c)).length;
  if (characters.length < PURPOSE_MIN_LENGTH || letters < 2 || new Set(characters).size < 2) throw new LicenseError('ERR_PURPOSE_REQUIRED');
  return maskIdentityNumbersInText(text);
}
