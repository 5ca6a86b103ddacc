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
 * An 18-character (17 digits + digit/X/x) or 15-digit run that is not part of
 * a longer run of ASCII letters and digits. Chinese characters, punctuation
 * and URL delimiters all count as boundaries, and so does a percent-encoded
 * byte before the number (`q=%2211010519491231002X`). The checksum is
 * deliberately not verified: a mistyped ID number is still personal data.
 */
const ID_NUMBER_IN_TEXT = /(?<=^|[^0-9A-Za-z]|%[0-9A-Fa-f]{2})[0-9]{6}(?:[0-9]{8}([0-9]{3}[0-9Xx])|[0-9]{6}([0-9]{3}))(?![0-9A-Za-z])/g;

/**
 * Masks every substring of `text` that looks like a citizen ID number, as
 * {@link maskCitizenId} would. Meant for log lines, URLs and messages.
 */
export function maskIdentityNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, (match, tail18: string | undefined, tail15: string | undefined) =>
    tail18 === undefined ? `${match.slice(0, 6)}******${tail15}` : `${match.slice(0, 6)}********${tail18}`,
  );
}
