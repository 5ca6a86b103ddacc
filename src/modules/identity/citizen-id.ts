import type { Clock } from '../../shared/clock.js';
import { IdentityError } from '../../shared/errors.js';
import type { ErrorDetails } from '../../shared/errors.js';
import { trimAsciiWhitespace } from './ascii-trim.js';
import { chinaDate, isExistingDate } from './china-date.js';
import { isProvinceCode } from './divisions.js';

/** A citizen ID number (居民身份号码, GB 11643-1999) that passed every rule. */
export interface CitizenId {
  /** The normalised 18-character number (a legacy 15-digit input is converted). */
  readonly value: string;
  /** Administrative division code of the first registration (6 digits). */
  readonly divisionCode: string;
  /** Birth date as `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** Sequence code (3 digits). */
  readonly sequence: string;
  /** From the parity of the sequence code: odd is male. */
  readonly sex: 'male' | 'female';
  /** True when the input was a legacy 15-digit number. */
  readonly legacy15: boolean;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const MIN_BIRTH_YEAR = 1800;

/** Only ASCII digits, with an optional final X (a final x is upper-cased before this test). */
const ALLOWED = /^[0-9]*X?$/;

function reject(code: IdentityError['code'], details?: ErrorDetails): never {
  throw new IdentityError(code, undefined, details);
}

/**
 * The ISO 7064 MOD 11-2 check character for the first 17 digits of a citizen
 * ID number.
 * @throws IdentityError ERR_CITIZEN_ID_LENGTH / ERR_CITIZEN_ID_CHARSET when
 *   `first17` is not exactly 17 ASCII digits.
 */
export function citizenIdCheckChar(first17: string): string {
  if (first17.length !== 17) reject('ERR_CITIZEN_ID_LENGTH', { expected: 17, actual: first17.length });
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const digit = first17.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) reject('ERR_CITIZEN_ID_CHARSET', { position: i + 1 });
    sum += digit * WEIGHTS[i]!;
  }
  return CHECK_CHARS[sum % 11]!;
}

function normalise(input: unknown): { value: string; legacy15: boolean } {
  if (typeof input !== 'string') reject('ERR_CITIZEN_ID_NOT_STRING');
  let value = trimAsciiWhitespace(input);
  if (value.endsWith('x')) value = `${value.slice(0, -1)}X`;
  if (!ALLOWED.test(value)) reject('ERR_CITIZEN_ID_CHARSET');
  if (value.length === 18) return { value, legacy15: false };
  if (value.length !== 15) reject('ERR_CITIZEN_ID_LENGTH', { length: value.length });
  if (value.endsWith('X')) reject('ERR_CITIZEN_ID_CHARSET', { position: 15 });
  const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
  return { value: first17 + citizenIdCheckChar(first17), legacy15: true };
}

/**
 * Parses and validates a citizen ID number. Accepts the 18-character form and
 * the legacy 15-digit form (converted to 18 characters, then held to every
 * rule). Surrounding ASCII whitespace is trimmed and a final `x` upper-cased;
 * nothing else is forgiven.
 *
 * Rules, in order: string, charset, length, province, birth date (exists,
 * year ≥ 1800, not after today in China time per `clock`), check character.
 * @throws IdentityError with the code of the first rule broken.
 */
export function parseCitizenId(input: unknown, clock: Clock): CitizenId {
  const { value, legacy15 } = normalise(input);

  if (!isProvinceCode(value.slice(0, 2))) reject('ERR_CITIZEN_ID_DIVISION');

  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (year < MIN_BIRTH_YEAR || !isExistingDate(year, month, day) || birthDate > chinaDate(clock.now())) {
    reject('ERR_CITIZEN_ID_BIRTH_DATE');
  }

  if (citizenIdCheckChar(value.slice(0, 17)) !== value[17]) reject('ERR_CITIZEN_ID_CHECKSUM');

  const sequence = value.slice(14, 17);
  return {
    value,
    divisionCode: value.slice(0, 6),
    birthDate,
    sequence,
    sex: Number(sequence) % 2 === 1 ? 'male' : 'female',
    legacy15,
  };
}

/**
 * Whether {@link parseCitizenId} accepts `input`. Only identity rejections
 * become `false`; anything else (a broken clock) still throws.
 */
/** Digits only, 15 or 18 of them (the last may be X), around ASCII whitespace: what could be a citizen ID number at all. */
const CITIZEN_ID_SHAPE = /^[ \t\r\n\f]*(?:\d{17}[\dXx]|\d{15})[ \t\r\n\f]*$/;

export function isValidCitizenId(input: unknown, clock: Clock): boolean {
  // Most credit codes fail here, without the cost of a thrown error.
  if (typeof input !== 'string' || !CITIZEN_ID_SHAPE.test(input)) return false;
  try {
    parseCitizenId(input, clock);
    return true;
  } catch (error) {
    if (error instanceof IdentityError) return false;
    throw error;
  }
}
