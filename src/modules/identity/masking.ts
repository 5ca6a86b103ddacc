import type { HolderNumber } from './holder-number.js';

/**
 * Masks a citizen ID number so that the birth date is hidden: 18 characters
 * keep the first 6 and last 4 (`110105********002X`), 15 digits keep the
 * first 6 and last 3 (`110105******002`). Anything of another length is
 * replaced by asterisks whole, so a malformed number never leaks.
 */
export function maskCitizenId(value: string): string {
  if (value.length === 18) return `${value.slice(0, 6)}********${value.slice(14)}`;
  if (value.length === 15) return `${value.slice(0, 6)}******${value.slice(12)}`;
  return '*'.repeat(value.length);
}

/** Masks a citizen holder's ID number; credit codes are public and returned whole. */
export function maskHolderNumber(holder: HolderNumber): string {
  switch (holder.type) {
    case 'citizen':
      return maskCitizenId(holder.value);
    case 'organization':
      return holder.value;
  }
}

/*
 * A citizen ID number as people write it in free text: 18 characters (17
 * digits and a digit or X) or 15 digits, in ASCII or full-width digits
 * (`１１０１０５…`), optionally in groups 6-8-4, 6-4-4-4 or 6-6-3 split by one
 * space, hyphen, ideographic space, `+` or `%20` (`110105 19491231 002X`),
 * optionally after a prefix of up to 8 letters (`ID11010519491231002X`,
 * `sfz110105…`). The whole is one token: not part of a longer run of letters
 * and digits (so hex digests and 20-digit numbers are left alone). Chinese
 * characters, punctuation and URL delimiters are boundaries, and so is a
 * percent-encoded byte before it (`q=%2211010519491231002X`). The checksum is
 * deliberately not verified: a mistyped ID number is still personal data.
 * Every part is fixed-length with disjoint alternatives, so the scan stays
 * linear in the text's length.
 */
const DIGIT = '[0-9\uff10-\uff19]';
const CHECK = '[0-9Xx\uff10-\uff19\uff38\uff58]';
const SEPARATOR = '(?:[ \u00a0\u3000+-]|%20)?';
const ALPHANUMERIC = '0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a';
const ID_NUMBER_IN_TEXT = new RegExp(
  `(?<=^|[^${ALPHANUMERIC}]|%[0-9A-Fa-f]{2})([A-Za-z\uff21-\uff3a\uff41-\uff5a]{0,8})` +
    `(${DIGIT}{6}${SEPARATOR}(?:${DIGIT}{4}${SEPARATOR}${DIGIT}{4}${SEPARATOR}${DIGIT}{3}${CHECK}|${DIGIT}{6}${SEPARATOR}${DIGIT}{3}))` +
    `(?![${ALPHANUMERIC}])`,
  'gu',
);

const ONE_DIGIT_OR_CHECK = new RegExp(`^${CHECK}$`, 'u');

/** Hides the birth date of a number as written (digits 7–14 of 18, 7–12 of 15), keeping its separators and digit forms. */
function maskWritten(number: string): string {
  if (number.length === 18 || number.length === 15) return maskCitizenId(number);
  const parts = number.match(/%20|./gsu) ?? [];
  const digitAt = parts.flatMap((part, index) => (ONE_DIGIT_OR_CHECK.test(part) ? [index] : []));
  for (const index of digitAt.slice(6, digitAt.length === 18 ? 14 : 12)) parts[index] = '*';
  return parts.join('');
}

/**
 * Masks every substring of `text` that looks like a citizen ID number, as
 * {@link maskCitizenId} would, however it is written (see above). Meant for
 * log lines, URLs and messages.
 */
export function maskIdentityNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, (_match, prefix: string, number: string) => `${prefix}${maskWritten(number)}`);
}
