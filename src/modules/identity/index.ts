/**
 * Identity numbers of license holders and licenses: citizen ID numbers
 * (GB 11643), unified social credit codes (GB 32100), holder numbers, masking
 * for logs, and license identifiers (GB/T 36904).
 */
export { parseCitizenId, isValidCitizenId, citizenIdCheckChar } from './citizen-id.js';
export type { CitizenId } from './citizen-id.js';
export { parseCreditCode, isValidCreditCode, creditCodeCheckChar, CREDIT_CODE_CHARSET } from './credit-code.js';
export type { CreditCode, CreditCodeOptions, CodeAndName } from './credit-code.js';
export { organizationCodeCheckChar } from './organization-code.js';
export { REGISTRATION_AUTHORITIES } from './credit-code-table.js';
export type { RegistrationAuthority } from './credit-code-table.js';
export { PROVINCE_CODES, isProvinceCode } from './divisions.js';
export { HOLDER_NUMBER_MAX_LENGTH, HOLDER_TYPES, HOLDER_TYPE_CODES, isHolderType, parseHolderNumber } from './holder-number.js';
export type { HolderType, HolderNumber } from './holder-number.js';
export { maskCitizenId, maskHolderNumber, maskIdentityNumbersInText } from './masking.js';
export { LICENSE_IDENTIFIER_MAX_LENGTH, LICENSE_IDENTIFIER_PREFIX, buildLicenseIdentifier, parseLicenseIdentifier } from './license-identifier.js';
export type { LicenseIdentifier, LicenseIdentifierParts } from './license-identifier.js';
export { mod37_36CheckChar } from './mod37-36.js';
