import { IdentityError } from '../../shared/errors.js';

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** 0-9 → 0-9, A-Z → 10-35; -1 for anything else. */
function alphanumericValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return -1;
}

/**
 * The GB 11714 check character of an organisation code body (8 characters of
 * 0-9 / A-Z): `C = 11 − (Σ vᵢ·wᵢ mod 11)`, written `X` for 10 and `0` for 11.
 * @throws IdentityError ERR_CREDIT_CODE_LENGTH / ERR_CREDIT_CODE_CHARSET when
 *   `first8` is not 8 characters of 0-9 and A-Z.
 */
export function organizationCodeCheckChar(first8: string): string {
  if (first8.length !== 8) {
    throw new IdentityError('ERR_CREDIT_CODE_LENGTH', 'Organisation code body must have 8 characters');
  }
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const value = alphanumericValue(first8.charCodeAt(i));
    if (value < 0) {
      throw new IdentityError('ERR_CREDIT_CODE_CHARSET', 'Organisation code body may contain only 0-9 and A-Z', {
        position: i + 1,
      });
    }
    sum += value * WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}
