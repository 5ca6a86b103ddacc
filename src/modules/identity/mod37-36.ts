import { IdentityError } from '../../shared/errors.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The ISO 7064 MOD 37,36 (hybrid) check character of `text`, over the
 * alphabet 0-9 A-Z with values 0-35.
 * @throws IdentityError ERR_LICENSE_ID_FORMAT when `text` has a character
 *   outside 0-9 and A-Z.
 */
export function mod37_36CheckChar(text: string): string {
  let p = 36;
  for (let i = 0; i < text.length; i += 1) {
    const value = ALPHABET.indexOf(text[i]!);
    if (value < 0) {
      throw new IdentityError('ERR_LICENSE_ID_FORMAT', 'MOD 37,36 input may contain only 0-9 and A-Z', {
        position: i + 1,
      });
    }
    p = (p + value) % 36 || 36;
    p = (2 * p) % 37;
  }
  return ALPHABET[(37 - p) % 36]!;
}
