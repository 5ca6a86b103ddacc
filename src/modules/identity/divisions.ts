/**
 * Province-level administrative division codes (GB/T 2260, first two digits),
 * plus 83, which the residence permits of Taiwan residents use.
 */
// prettier-ignore
export const PROVINCE_CODES: readonly string[] = Object.freeze([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71',
  '81', '82', '83',
]);

const PROVINCES = new Set(PROVINCE_CODES);

/** Whether `twoDigits` is a province-level code from {@link PROVINCE_CODES}. */
export function isProvinceCode(twoDigits: string): boolean {
  return PROVINCES.has(twoDigits);
}
