import { IdentityError } from '../../shared/errors.js';
import { isValidCreditCode } from './credit-code.js';
import { mod37_36CheckChar } from './mod37-36.js';

/** The fixed object-identifier arc that starts every license identifier (GB/T 36904). */
export const LICENSE_IDENTIFIER_PREFIX = '1.2.156.3005.2';

/** Longest identifier input looked at; a well-formed one has at most 94 characters, so anything longer is refused unread. */
export const LICENSE_IDENTIFIER_MAX_LENGTH = 200;

/** The four variable fields of a license identifier. */
export interface LicenseIdentifierParts {
  /** License type code: the defining authority's credit code + a 3-digit sequence (21 characters). */
  readonly typeCode: string;
  /** Credit code of the issuing body. */
  readonly issuerCreditCode: string;
  /** Serial number within the issuer: 1-32 characters of A-Z and 0-9. */
  readonly serial: string;
  /** Version, 1-999. */
  readonly version: number;
}

/** A parsed, fully validated license identifier (电子证照标识). */
export interface LicenseIdentifier extends LicenseIdentifierParts {
  /** The whole identifier, as given. */
  readonly identifier: string;
  /** First 18 characters of `typeCode`. */
  readonly definingAuthorityCreditCode: string;
  /** Last 3 digits of `typeCode`. */
  readonly typeSequence: string;
  /** The MOD 37,36 check character. */
  readonly check: string;
}

const CANONICAL_CREDIT_CODE = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;
const TYPE_SEQUENCE = /^[0-9]{3}$/;
const SERIAL = /^[A-Z0-9]{1,32}$/;
const VERSION = /^[0-9]{3}$/;
const CHECK = /^[A-Z0-9]$/;
const LOWER_CASE = /[a-z]/;
const PREFIX_FIELDS = LICENSE_IDENTIFIER_PREFIX.split('.').length;

function reject(code: IdentityError['code']): never {
  throw new IdentityError(code);
}

/** A valid credit code already in canonical form (no whitespace, upper case). */
function isCanonicalCreditCode(code: string): boolean {
  return CANONICAL_CREDIT_CODE.test(code) && isValidCreditCode(code);
}

function checkTypeCode(typeCode: string): void {
  if (!TYPE_SEQUENCE.test(typeCode.slice(18)) || !isCanonicalCreditCode(typeCode.slice(0, 18))) {
    reject('ERR_LICENSE_ID_TYPE_CODE');
  }
}

function checkIssuer(issuerCreditCode: string): void {
  if (!isCanonicalCreditCode(issuerCreditCode)) reject('ERR_LICENSE_ID_ISSUER');
}

function checkSerial(serial: string): void {
  if (!SERIAL.test(serial)) reject('ERR_LICENSE_ID_SERIAL');
}

function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > 999) reject('ERR_LICENSE_ID_VERSION');
}

/**
 * Builds `1.2.156.3005.2.{typeCode}.{issuerCreditCode}.{serial}.{version:000}.{check}`,
 * the check character being MOD 37,36 over the four middle fields
 * concatenated. Fields must already be canonical (upper case, no padding).
 * @throws IdentityError ERR_LICENSE_ID_TYPE_CODE, ERR_LICENSE_ID_ISSUER,
 *   ERR_LICENSE_ID_SERIAL or ERR_LICENSE_ID_VERSION for the first bad field.
 */
export function buildLicenseIdentifier(parts: LicenseIdentifierParts): string {
  const { typeCode, issuerCreditCode, serial, version } = parts;
  checkTypeCode(typeCode);
  checkIssuer(issuerCreditCode);
  checkSerial(serial);
  checkVersion(version);
  const versionText = String(version).padStart(3, '0');
  const check = mod37_36CheckChar(typeCode + issuerCreditCode + serial + versionText);
  return `${LICENSE_IDENTIFIER_PREFIX}.${typeCode}.${issuerCreditCode}.${serial}.${versionText}.${check}`;
}

/**
 * Parses and validates a license identifier. No normalisation: whitespace,
 * lower case, a wrong prefix or a wrong number of fields are format errors.
 * @throws IdentityError ERR_LICENSE_ID_FORMAT, then ERR_LICENSE_ID_TYPE_CODE,
 *   ERR_LICENSE_ID_ISSUER, ERR_LICENSE_ID_SERIAL, ERR_LICENSE_ID_VERSION or
 *   ERR_LICENSE_ID_CHECKSUM for the first bad field.
 */
export function parseLicenseIdentifier(input: unknown): LicenseIdentifier {
  if (typeof input !== 'string' || LOWER_CASE.test(input)) reject('ERR_LICENSE_ID_FORMAT');
  const fields = input.split('.');
  if (fields.length !== PREFIX_FIELDS + 5 || fields.slice(0, PREFIX_FIELDS).join('.') !== LICENSE_IDENTIFIER_PREFIX) {
    reject('ERR_LICENSE_ID_FORMAT');
  }
  const [typeCode, issuerCreditCode, serial, versionText, check] = fields.slice(PREFIX_FIELDS) as [string, string, string, string, string];
  checkTypeCode(typeCode);
  checkIssuer(issuerCreditCode);
  checkSerial(serial);
  if (!VERSION.test(versionText)) reject('ERR_LICENSE_ID_VERSION');
  const version = Number(versionText);
  checkVersion(version);
  if (!CHECK.test(check)) reject('ERR_LICENSE_ID_FORMAT');
  if (mod37_36CheckChar(typeCode + issuerCreditCode + serial + versionText) !== check) {
    reject('ERR_LICENSE_ID_CHECKSUM');
  }
  return {
    identifier: input,
    typeCode,
    definingAuthorityCreditCode: typeCode.slice(0, 18),
    typeSequence: typeCode.slice(18),
    issuerCreditCode,
    serial,
    version,
    check,
  };
}
