/*
 * Second, deliberately naive implementations of the check-character
 * algorithms, written from the standards' definitions rather than from the
 * module's tables, so the two can be compared.
 */

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Province-level codes, typed in again here so a slip in the module's list shows up. */
// prettier-ignore
export const PROVINCES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
];

export const CREDIT_SET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Authority + organisation type pairs of GB 32100 (positions 1-2). */
// prettier-ignore
export const AUTHORITY_TYPE_PAIRS = [
  '11', '12', '13', '19', '21', '29', '31', '32', '33', '34', '35', '39', '41', '49',
  '51', '52', '53', '59', '61', '62', '69', '71', '72', '79', '81', '89', '91', '92', '93',
  'A1', 'A9', 'N1', 'N2', 'N3', 'N9', 'Y1',
];

/** MOD 11-2: weight of position i (1-based, 18 = check) is 2^(18−i) mod 11; a valid number sums to 1 mod 11. */
export function referenceCitizenCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  for (const candidate of '0123456789X') {
    const value = candidate === 'X' ? 10 : Number(candidate);
    if ((sum + value) % 11 === 1) return candidate;
  }
  throw new Error('unreachable');
}

/** MOD 31-3: weight of position i (0-based) is 3^i mod 31; a valid code sums to 0 mod 31. */
export function referenceCreditCheck(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (const char of first17) {
    sum += CREDIT_SET.indexOf(char) * weight;
    weight = (weight * 3) % 31;
  }
  for (const candidate of CREDIT_SET) {
    if ((sum + CREDIT_SET.indexOf(candidate)) % 31 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/** GB 11714: Σ vᵢ·wᵢ + C ≡ 0 (mod 11), with C = 10 written X and C = 11 (i.e. 0) written 0. */
export function referenceOrganizationCheck(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += ALPHANUMERIC.indexOf(first8[i]!) * weights[i]!;
  for (const candidate of '0123456789X') {
    const value = candidate === 'X' ? 10 : Number(candidate);
    if ((sum + value) % 11 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/**
 * ISO 7064 hybrid MOD 37,36 by verification: the check character is the one
 * for which running the recurrence over text + check ends on 1 (mod 36).
 */
export function referenceMod37_36(text: string): string {
  for (const candidate of ALPHANUMERIC) {
    let p = 36;
    let last = 0;
    for (const char of text + candidate) {
      last = (p + ALPHANUMERIC.indexOf(char)) % 36;
      p = ((last === 0 ? 36 : last) * 2) % 37;
    }
    if (last === 1) return candidate;
  }
  throw new Error('unreachable');
}
