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

/** Longest service item (办理事项), in characters, after trimming. */
export const SERVICE_ITEM_MAX_LENGTH = 100;

/**
 * A service item (办理事项) that names something: after trimming 2 to
 * {@link SERVICE_ITEM_MAX_LENGTH} characters, two of them letters, with any
 * ID number in it masked, as the audit log keeps it.
 *
 * @throws LicenseError ERR_SERVICE_ITEM_REQUIRED
 */
export function meaningfulServiceItem(raw: string | undefined): string {
  const text = requiredText(raw ?? '', SERVICE_ITEM_MAX_LENGTH, 'ERR_SERVICE_ITEM_REQUIRED');
  if ([...text].filter((c) => /\p{L}/u.test(c)).length < 2) throw new LicenseError('ERR_SERVICE_ITEM_REQUIRED');
  return maskIdentityNumbersInText(text);
}
