import { IdentityError } from '../../shared/errors.js';
import type { ErrorDetails } from '../../shared/errors.js';
import { trimAsciiWhitespace } from './ascii-trim.js';
import { REGISTRATION_AUTHORITIES } from './credit-code-table.js';
import { isProvinceCode } from './divisions.js';
import { organizationCodeCheckChar } from './organization-code.js';

/** A code with its Chinese name from the GB 32100 table; `name` is null when the code is not in it (lenient mode). */
export interface CodeAndName {
  readonly code: string;
  readonly name: string | null;
}

/** A unified social credit code (统一社会信用代码, GB 32100-2015). */
export interface CreditCode {
  /** The normalised 18-character code. */
  readonly value: string;
  /** Position 1: registration authority (登记管理部门). */
  readonly registrationAuthority: CodeAndName;
  /** Position 2: organisation type (机构类别) within that authority. */
  readonly organizationType: CodeAndName;
  /** Positions 3-8: division code of the registering body. */
  readonly divisionCode: string;
  /** Positions 9-17: subject identifier, a GB 11714 organisation code with its check character. */
  readonly organizationCode: string;
  /** Problems tolerated in lenient mode; always empty in strict mode. */
  readonly warnings: readonly IdentityError[];
}

/** Options of {@link parseCreditCode}. */
export interface CreditCodeOptions {
  /**
   * For importing historical records: authority, organisation type, division,
   * organisation-code check and checksum problems become `warnings` instead
   * of being thrown. Non-strings, wrong lengths and bad characters still throw.
   */
  readonly lenient?: boolean;
}

/** The 31 characters a credit code may use; a character's index is its MOD 31 value. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ALLOWED = /^[0-9A-HJ-NP-RTUW-Y]*$/;
const SIX_DIGITS = /^[0-9]{6}$/;
const NATIONAL_DIVISION = '100000';

function reject(code: IdentityError['code'], details?: ErrorDetails): never {
  throw new IdentityError(code, undefined, details);
}

/**
 * The ISO 7064 MOD 31-3 check character (position 18) for the first 17
 * characters of a credit code.
 * @throws IdentityError ERR_CREDIT_CODE_LENGTH / ERR_CREDIT_CODE_CHARSET when
 *   `first17` is not 17 characters of {@link CREDIT_CODE_CHARSET}.
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) reject('ERR_CREDIT_CODE_LENGTH', { expected: 17, actual: first17.length });
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (value < 0) reject('ERR_CREDIT_CODE_CHARSET', { position: i + 1 });
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

function normalise(input: unknown): string {
  if (typeof input !== 'string') reject('ERR_CREDIT_CODE_NOT_STRING');
  const value = trimAsciiWhitespace(input).toUpperCase();
  // Charset before length, as for citizen IDs: a stray invisible character is
  // reported as such rather than as a puzzling length.
  if (!ALLOWED.test(value)) reject('ERR_CREDIT_CODE_CHARSET');
  if (value.length !== 18) reject('ERR_CREDIT_CODE_LENGTH', { length: value.length });
  return value;
}

/** Every table, division and check problem of a well-formed 18-character code, in rule order. */
function findProblems(value: string): IdentityError['code'][] {
  const problems: IdentityError['code'][] = [];
  const authority = REGISTRATION_AUTHORITIES[value[0]!];
  if (authority === undefined) problems.push('ERR_CREDIT_CODE_AUTHORITY');
  else if (authority.organizationTypes[value[1]!] === undefined) problems.push('ERR_CREDIT_CODE_ORG_TYPE');

  const division = value.slice(2, 8);
  if (!SIX_DIGITS.test(division) || !(division === NATIONAL_DIVISION || isProvinceCode(division.slice(0, 2)))) {
    problems.push('ERR_CREDIT_CODE_DIVISION');
  }
  if (organizationCodeCheckChar(value.slice(8, 16)) !== value[16]) problems.push('ERR_CREDIT_CODE_ORG_CHECK');
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) problems.push('ERR_CREDIT_CODE_CHECKSUM');
  return problems;
}

/**
 * Parses and validates a unified social credit code. Surrounding ASCII
 * whitespace is trimmed and letters upper-cased.
 *
 * Rules, in order: string, charset, length, registration authority,
 * organisation type, division (province-level code or 100000), GB 11714
 * organisation-code check, MOD 31-3 check character.
 * @throws IdentityError with the code of the first rule broken (in lenient
 *   mode only for the string, charset and length rules).
 */
export function parseCreditCode(input: unknown, options: CreditCodeOptions = {}): CreditCode {
  const value = normalise(input);
  const problems = findProblems(value);
  if (problems[0] !== undefined && options.lenient !== true) reject(problems[0]);

  const authority = REGISTRATION_AUTHORITIES[value[0]!];
  return {
    value,
    registrationAuthority: { code: value[0]!, name: authority?.name ?? null },
    organizationType: { code: value[1]!, name: authority?.organizationTypes[value[1]!] ?? null },
    divisionCode: value.slice(2, 8),
    organizationCode: value.slice(8, 17),
    warnings: problems.map((code) => new IdentityError(code)),
  };
}

/** Whether {@link parseCreditCode} accepts `input` in strict mode. */
export function isValidCreditCode(input: unknown): boolean {
  let value: string;
  try {
    value = normalise(input);
  } catch (error) {
    if (error instanceof IdentityError) return false;
    throw error;
  }
  // Problems found without throwing: this runs on every holder look-up by a citizen ID number.
  return findProblems(value).length === 0;
}
