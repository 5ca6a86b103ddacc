/*
 * Every failure the vault reports on purpose carries a stable code. Codes
 * never change meaning; clients may switch on them. Each family's codes are
 * declared with the one error class that carries them, and the title is the
 * default human-readable summary (the problem+json `title`). The HTTP status
 * of every code is in http/problem.ts.
 */

/** Codes of IdentityError. */
export const IDENTITY_ERRORS = {
  ERR_CITIZEN_ID_NOT_STRING: 'Citizen ID number must be a string',
  ERR_CITIZEN_ID_LENGTH: 'Citizen ID number must have 18 characters (or 15 for a legacy number)',
  ERR_CITIZEN_ID_CHARSET: 'Citizen ID number may contain only ASCII digits and a final X',
  ERR_CITIZEN_ID_DIVISION: 'Citizen ID number has an unknown administrative division code',
  ERR_CITIZEN_ID_BIRTH_DATE: 'Citizen ID number has an impossible or future birth date',
  ERR_CITIZEN_ID_CHECKSUM: 'Citizen ID number check character does not match',
  ERR_CREDIT_CODE_NOT_STRING: 'Unified social credit code must be a string',
  ERR_CREDIT_CODE_LENGTH: 'Unified social credit code must have 18 characters',
  ERR_CREDIT_CODE_CHARSET: 'Unified social credit code contains a character outside 0-9 and A-Y without I, O, S, V, Z',
  ERR_CREDIT_CODE_AUTHORITY: 'Unified social credit code has an unknown registration authority code',
  ERR_CREDIT_CODE_ORG_TYPE: 'Unified social credit code has an organisation type not defined for its registration authority',
  ERR_CREDIT_CODE_DIVISION: 'Unified social credit code has an unknown administrative division code',
  ERR_CREDIT_CODE_ORG_CHECK: 'Unified social credit code subject identifier fails its GB 11714 check',
  ERR_CREDIT_CODE_CHECKSUM: 'Unified social credit code check character does not match',
  ERR_LICENSE_ID_FORMAT: 'License identifier does not have the GB/T 36904 structure',
  ERR_LICENSE_ID_TYPE_CODE: 'License identifier has an invalid license type code',
  ERR_LICENSE_ID_ISSUER: 'License identifier has an invalid issuer credit code',
  ERR_LICENSE_ID_SERIAL: 'License identifier has an invalid serial number',
  ERR_LICENSE_ID_VERSION: 'License identifier has an invalid version',
  ERR_LICENSE_ID_CHECKSUM: 'License identifier check character does not match',
  ERR_HOLDER_TYPE: 'Holder type must be "citizen" or "organization"',
} as const;

/** Codes of LicenseError. */
export const LICENSE_ERRORS = {
  ERR_LICENSE_TYPE_NOT_ALLOWED: 'This department may not issue this license type',
  ERR_HOLDER_TYPE_MISMATCH: "The holder type does not match the license type's holder category",
  ERR_HOLDER_NAME_INVALID: 'The holder name must be 1 to 100 characters, without control or invisible formatting characters or markup (< >)',
  ERR_VALIDITY_INVALID: 'The validity dates are invalid for this license type',
  ERR_IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used for a different request',
  ERR_IDEMPOTENCY_KEY_INVALID: 'The Idempotency-Key header must be 1 to 200 visible ASCII characters',
  ERR_LICENSE_TRANSITION: 'The license cannot make this status change from its current status',
  ERR_DEPARTMENT_CANNOT_ISSUE: 'The department is not set up to issue licenses',
  ERR_PURPOSE_REQUIRED: 'A purpose of use (用证事由) is required: 4 to 200 characters that say what for, at least 2 of them letters',
  ERR_REASON_REQUIRED: 'A reason of 1 to 200 characters is required',
  ERR_HOLDER_ID_AMBIGUOUS: 'The number is valid both as a citizen ID and as a credit code: say which with holderType',
  ERR_SERVICE_ITEM_REQUIRED: 'A service item (办理事项) of 2 to 100 characters, at least 2 of them letters, is required',
} as const;

/** Codes of NotFoundError. */
export const NOT_FOUND_ERRORS = {
  ERR_LICENSE_NOT_FOUND: 'No license with this identifier',
  ERR_ACCOUNT_NOT_FOUND: 'No account with this client id',
  ERR_DEPARTMENT_NOT_FOUND: 'No department with this credit code',
} as const;

/** Codes of TemplateError. */
export const TEMPLATE_ERRORS = {
  ERR_TEMPLATE_INVALID: 'A license template is invalid',
  ERR_TEMPLATE_NOT_FOUND: 'No template for this license type or version',
  ERR_FIELDS_NOT_OBJECT: 'Face fields must be a JSON object',
  ERR_FIELD_UNKNOWN: 'The template has no such field',
  ERR_FIELD_REQUIRED: 'A required field is missing',
  ERR_FIELD_TYPE: 'The field has the wrong type',
  ERR_FIELD_TOO_LONG: 'The field is longer than the template allows',
  ERR_FIELD_PATTERN: 'The field does not match the pattern the template requires',
  ERR_FIELD_ENUM: 'The field is not one of the values the template allows',
  ERR_FIELD_DATE: 'The field is not a valid date (YYYY-MM-DD)',
  ERR_FIELD_NUMBER: 'The field is not a number within the allowed range',
  ERR_RENDER_GLYPH_MISSING: 'The license font has no glyph for a character of the text',
  ERR_RENDER_FAILED: 'The vault could not render the license',
  ERR_SEAL_IMAGE_UNUSABLE: "The department's seal image is missing, outside the seals folder, too large or not a PNG",
} as const;

/** Codes of SigningError. */
export const SIGNING_ERRORS = {
  ERR_SIGNER_KEY_MISSING: 'The signing key store does not exist',
  ERR_SIGNER_PASSWORD: 'The signing key store cannot be opened with this password',
  ERR_SIGNER_KEY_STORE_INVALID: 'The signing key store is damaged or holds no usable key and certificate',
  ERR_SIGNER_KEY_MISMATCH: 'The private key does not belong to the signing certificate',
  ERR_SIGNER_CERT_NOT_YET_VALID: 'The signing certificate is not valid yet',
  ERR_SIGNER_CERT_EXPIRED: 'The signing certificate has expired',
  ERR_SIGNER_CERT_USAGE: 'The certificate is not allowed to sign documents',
  ERR_SIGNER_ALGORITHM: 'The signing key algorithm is not supported',
  ERR_SIGNER_UNAVAILABLE: 'The signing device is unavailable',
  ERR_SIGNER_PIN: 'The signing token refused the configured PIN',
  ERR_SIGNER_TOKEN_MISSING: 'The signing token is not present',
  ERR_SIGNING_FAILED: 'The vault could not sign the license it rendered',
  ERR_PKI_EXISTS: 'The certificate or key store already exists',
  ERR_PKI_CA_MISSING: 'No root CA in the certificates directory',
  ERR_TRUST_DIRECTORY_INVALID: 'A file in the trust directory cannot be read as certificates',
} as const;

/** Codes of ConfigError. */
export const CONFIG_ERRORS = {
  ERR_CONFIG_INVALID: 'Configuration is invalid',
  ERR_CONFIG_UNSAFE: 'The configuration is for development only and refused with NODE_ENV=production',
} as const;

/** Codes of StoreError. */
export const STORE_ERRORS = {
  ERR_STORE_DUPLICATE: 'A record with the same unique key already exists',
  ERR_STORE_VERSION_CONFLICT: 'The record was changed by someone else; reload and retry',
  ERR_STORE_NOT_FOUND: 'No such record',
  ERR_STORE_CURSOR_INVALID: 'The pagination cursor is invalid',
  ERR_STORE_SCHEMA_TOO_NEW: 'The database was written by a newer version of the vault',
  ERR_STORE_UNAVAILABLE: 'The store is unavailable',
  ERR_BACKUP_EXISTS: 'The backup destination already exists',
  ERR_BACKUP_DAMAGED: "The backup fails the database engine's integrity check",
  ERR_RESTORE_TARGET_NOT_EMPTY: 'A restore needs an empty data directory',
} as const;

/** Codes of AuthenticationError. */
export const AUTHENTICATION_ERRORS = {
  ERR_AUTH_INVALID_CLIENT: 'The client id or secret is wrong, or the account is disabled',
  ERR_AUTH_TOKEN_MISSING: 'An access token is required (Authorization: Bearer …)',
  ERR_AUTH_TOKEN_INVALID: 'The access token is invalid, expired or no longer matches its account',
  ERR_AUTH_ACCOUNT_DISABLED: 'The account this access token was issued to is disabled',
  ERR_AUTH_TOO_MANY_ATTEMPTS: 'Too many failed attempts for this client; try again later',
  ERR_AUTH_BUSY: 'Too many client secrets are being checked at once; try again after the time given in Retry-After',
  ERR_HOLDER_SESSION_MISSING: 'Sign in first: this needs a holder session (sign in at /me)',
  ERR_STAFF_SIGN_IN_FAILED: 'The user name, password or one-time password is wrong, or the account cannot sign in',
  ERR_STAFF_OTP_REQUIRED: 'This account needs the one-time password its authenticator app shows',
  ERR_STAFF_LOCKED: 'Too many failed sign-ins: the account is locked for a while; try again after the time given in Retry-After',
  ERR_STAFF_ENROLMENT_INVALID: 'The enrolment ticket has expired or is invalid, or the code does not match the new secret',
  ERR_STAFF_SESSION_MISSING: 'Sign in to the console first: this needs a staff session',
} as const;

/** Codes of PermissionError. */
export const PERMISSION_ERRORS = {
  ERR_FORBIDDEN: 'The account is not allowed to do this',
  ERR_FORBIDDEN_OWN_ACCOUNT: 'No administrator may approve, reset, lock or change its own account',
  ERR_ORIGIN_REFUSED: "A change made with a holder's or staff session cookie must come from the vault's own pages (the Origin header is missing or another site's)",
} as const;

/** Codes of AdministrationError. */
export const ADMINISTRATION_ERRORS = {
  ERR_ACCOUNT_INVALID: 'The account data is invalid',
  ERR_ACCOUNT_EXISTS: 'An account with this client id already exists',
  ERR_DEPARTMENT_INVALID: 'The department data is invalid',
  ERR_DEPARTMENT_EXISTS: 'A department with this credit code already exists',
  ERR_ACCOUNT_LAST_OF_ROLE: 'The last enabled, approved account of a role cannot be disabled or given another role',
  ERR_ACCOUNT_NOT_PENDING: 'The account has no secret waiting for approval',
} as const;

/** Codes of RequestError. */
export const REQUEST_ERRORS = {
  ERR_REQUEST_INVALID: 'The request is invalid',
  ERR_QUERY_INVALID: 'A query parameter is invalid',
  ERR_REQUEST_MALFORMED_JSON: 'The request body is not valid JSON',
  ERR_REQUEST_TOO_LARGE: 'The request body is too large',
  ERR_UNSUPPORTED_MEDIA_TYPE: 'The request body has an unsupported media type',
  ERR_ROUTE_NOT_FOUND: 'No such resource',
  ERR_METHOD_NOT_ALLOWED: 'Method not allowed on this resource',
  ERR_PDF_INVALID: 'The file is not a PDF this service can process',
  ERR_REQUEST_TOO_DEEP: 'The request body nests arrays or objects too deeply',
  ERR_URL_MALFORMED: 'The URL is not validly percent-encoded',
  ERR_UPLOAD_MALFORMED: 'The upload is not a readable multipart/form-data body',
} as const;

/** Codes of ServiceError. */
export const SERVICE_ERRORS = {
  ERR_SHUTTING_DOWN: 'The service is shutting down',
  ERR_RATE_LIMITED: 'Too many requests; try again after the time given in Retry-After',
  ERR_RECONCILE_REQUIRED: 'Issuance is stopped until an operator reconciles the restored store (license-vault reconcile)',
  ERR_CHECKPOINT_UNVERIFIABLE: "No checkpoint in the archive was signed by this vault's key",
  ERR_INTERNAL: 'Internal error',
  ERR_AUDIT_CHAIN_BROKEN: 'The audit log fails verification, so it cannot be re-keyed',
} as const;

/** Codes of HolderSignInError: a holder's sign-in through the identity platform (OpenID Connect) failed. */
export const HOLDER_SIGN_IN_ERRORS = {
  ERR_HOLDER_SIGN_IN_UNAVAILABLE: 'Holder sign-in is not configured, or the identity platform cannot be reached',
  ERR_HOLDER_SIGN_IN_TRANSACTION: 'The sign-in was not started in this browser, or took too long: start again',
  ERR_HOLDER_SIGN_IN_STATE: 'The sign-in answer does not belong to the sign-in this browser started',
  ERR_HOLDER_SIGN_IN_REFUSED: 'The identity platform did not sign the holder in',
  ERR_HOLDER_SIGN_IN_FAILED: "The identity platform's answer failed validation (code, PKCE, nonce, signature or token)",
  ERR_HOLDER_CLAIM_MISSING: 'The identity token carries no citizen ID number or unified social credit code',
  ERR_HOLDER_CLAIM_INVALID: 'The identity token carries a citizen ID number or credit code that is not valid',
} as const;

/** Codes of ShareError: a holder's share links for third parties. */
export const SHARE_ERRORS = {
  ERR_SHARE_NOT_FOUND: 'No such share link',
  ERR_SHARE_EXPIRED: 'This share link has expired',
  ERR_SHARE_REVOKED: 'The holder has withdrawn this share link',
  ERR_SHARE_USED: 'This one-time share link has been opened already',
  ERR_SHARE_RECIPIENT_INVALID: 'The recipient must be 1 to 60 characters, without control or invisible formatting characters or markup (< >)',
  ERR_SHARE_LIFETIME_INVALID: 'The lifetime of a share link must be a whole number of minutes from 10 minutes to 30 days',
  ERR_SHARE_LICENSES_INVALID: 'A share covers 1 to 20 distinct licenses',
  ERR_SHARE_COPY_UNAVAILABLE: 'Annotated copies cannot be made here now',
} as const;

/** Codes of AuthorizationError: a holder's authorization of an office (授权用证) and its 用证码. */
export const AUTHORIZATION_ERRORS = {
  ERR_AUTHORIZATION_INVALID: 'The authorization is invalid: choose licenses or license types, a lifetime of 5 minutes to 7 days and 1 to 20 uses',
  ERR_AUTHORIZATION_OFFICE_UNKNOWN: 'No department with this credit code: choose an office from the list, or any office',
  ERR_AUTHORIZATION_NOT_FOUND: 'No authorization of yours with this id',
  ERR_AUTHORIZATION_CODE_MALFORMED: 'A 用证码 has 8 characters from 2-9 and A-Z without I, L, O and U (spaces and dashes are ignored)',
  ERR_AUTHORIZATION_UNKNOWN: 'No authorization has this 用证码',
  ERR_AUTHORIZATION_EXPIRED: 'This 用证码 has expired: ask the holder for a new one',
  ERR_AUTHORIZATION_WITHDRAWN: 'The holder withdrew this authorization',
  ERR_AUTHORIZATION_USED_UP: 'This 用证码 has no uses left: ask the holder for a new one',
  ERR_AUTHORIZATION_WRONG_OFFICE: 'This 用证码 was given to another office',
  ERR_AUTHORIZATION_REDEEM_LOCKED: 'Too many unknown 用证码 from this account or address: redemption is locked for the time given in Retry-After',
  ERR_LOOKUP_NEEDS_CONSENT: "Under the consent policy a clerk reaches a holder's licenses only by redeeming the holder's 用证码",
} as const;

/** Codes of CopyError. */
export const COPY_ERRORS = {
  ERR_COPY_VALIDITY_INVALID: 'An annotated copy is valid for 1 to 366 days: give validDays, or validUntil (YYYY-MM-DD) from today on',
  ERR_COPY_ORIGINAL_NOT_IN_FORCE: 'An annotated copy is made only of a license in force',
} as const;

/** Every stable code and its title: the union of the families above (test/shared/errors.test.ts checks no code is in two). */
export const ERROR_TITLES = {
  ...IDENTITY_ERRORS,
  ...LICENSE_ERRORS,
  ...NOT_FOUND_ERRORS,
  ...TEMPLATE_ERRORS,
  ...SIGNING_ERRORS,
  ...CONFIG_ERRORS,
  ...STORE_ERRORS,
  ...AUTHENTICATION_ERRORS,
  ...PERMISSION_ERRORS,
  ...ADMINISTRATION_ERRORS,
  ...REQUEST_ERRORS,
  ...SERVICE_ERRORS,
  ...HOLDER_SIGN_IN_ERRORS,
  ...SHARE_ERRORS,
  ...AUTHORIZATION_ERRORS,
  ...COPY_ERRORS,
} as const;

export type ErrorCode = keyof typeof ERROR_TITLES;

/** Extra, non-personal facts about a failure (field names, limits, positions). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * Base of every expected failure. `code` is stable; `message` is for people
 * and must never contain an unmasked identity number. Each subclass takes
 * only the codes of its own family (`static codes`): another family's code
 * is a compile error, and a TypeError if it slips past the compiler.
 */
export abstract class VaultError<C extends ErrorCode = ErrorCode> extends Error {
  /** The codes this class carries. */
  static readonly codes: Readonly<Partial<Record<ErrorCode, string>>> = {};

  readonly code: C;
  readonly details: ErrorDetails | undefined;

  constructor(code: C, message?: string, details?: ErrorDetails, options?: ErrorOptions) {
    if (!Object.hasOwn(new.target.codes, code)) throw new TypeError(`${new.target.name} does not carry ${code}`);
    super(message ?? ERROR_TITLES[code], options);
    this.code = code;
    this.details = details;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** A holder number, credit code or license identifier was rejected. */
export class IdentityError extends VaultError<keyof typeof IDENTITY_ERRORS> {
  static override readonly codes = IDENTITY_ERRORS;
}

/** A license cannot be issued, looked up or changed as asked. */
export class LicenseError extends VaultError<keyof typeof LICENSE_ERRORS> {
  static override readonly codes = LICENSE_ERRORS;
}

/** The requested license, account or department does not exist (or is not the caller's to see). */
export class NotFoundError extends VaultError<keyof typeof NOT_FOUND_ERRORS> {
  static override readonly codes = NOT_FOUND_ERRORS;
}

/** A template is malformed, face field values break its schema, or a license cannot be rendered from it. */
export class TemplateError extends VaultError<keyof typeof TEMPLATE_ERRORS> {
  static override readonly codes = TEMPLATE_ERRORS;
}

/** A signing key, certificate or trust anchor cannot be used, a PKI operation was refused, or signing failed. */
export class SigningError extends VaultError<keyof typeof SIGNING_ERRORS> {
  static override readonly codes = SIGNING_ERRORS;
}

/** A configuration variable is missing or has a bad value. */
export class ConfigError extends VaultError<keyof typeof CONFIG_ERRORS> {
  static override readonly codes = CONFIG_ERRORS;
}

/** The store refused a write or could not be reached; a backup or restore was refused. */
export class StoreError extends VaultError<keyof typeof STORE_ERRORS> {
  static override readonly codes = STORE_ERRORS;
}

/** Client credentials or an access token were refused (401), or too many attempts failed. */
export class AuthenticationError extends VaultError<keyof typeof AUTHENTICATION_ERRORS> {
  static override readonly codes = AUTHENTICATION_ERRORS;
}

/** The caller is known but its role may not do this (403). */
export class PermissionError extends VaultError<keyof typeof PERMISSION_ERRORS> {
  static override readonly codes = PERMISSION_ERRORS;
}

/** An account or department cannot be created or changed as asked. */
export class AdministrationError extends VaultError<keyof typeof ADMINISTRATION_ERRORS> {
  static override readonly codes = ADMINISTRATION_ERRORS;
}

/** The request itself is unusable (shape, query, size, media type, route, an uploaded file that is not a PDF). */
export class RequestError extends VaultError<keyof typeof REQUEST_ERRORS> {
  static override readonly codes = REQUEST_ERRORS;
}

/** The service cannot serve the request now (shutting down, rate limited, issuance stopped) or failed inside. */
export class ServiceError extends VaultError<keyof typeof SERVICE_ERRORS> {
  static override readonly codes = SERVICE_ERRORS;
}

/** A holder could not be signed in through the identity platform. */
export class HolderSignInError extends VaultError<keyof typeof HOLDER_SIGN_IN_ERRORS> {
  static override readonly codes = HOLDER_SIGN_IN_ERRORS;
}

/** A share link cannot be made, changed or opened as asked. */
export class ShareError extends VaultError<keyof typeof SHARE_ERRORS> {
  static override readonly codes = SHARE_ERRORS;
}

/** An authorization (授权用证) cannot be made, withdrawn or redeemed as asked. */
export class AuthorizationError extends VaultError<keyof typeof AUTHORIZATION_ERRORS> {
  static override readonly codes = AUTHORIZATION_ERRORS;
}

/** An annotated copy (加注件) cannot be made as asked. */
export class CopyError extends VaultError<keyof typeof COPY_ERRORS> {
  static override readonly codes = COPY_ERRORS;
}

/** Every error class, one per family. */
export const ERROR_CLASSES = [
  IdentityError,
  LicenseError,
  NotFoundError,
  TemplateError,
  SigningError,
  ConfigError,
  StoreError,
  AuthenticationError,
  PermissionError,
  AdministrationError,
  RequestError,
  ServiceError,
  HolderSignInError,
  ShareError,
  AuthorizationError,
  CopyError,
] as const;

/** The one class that carries `code`. */
export function errorClassOf(code: ErrorCode): (typeof ERROR_CLASSES)[number] {
  const found = ERROR_CLASSES.find((type) => Object.hasOwn(type.codes, code));
  if (!found) throw new TypeError(`no error class carries ${code}`);
  return found;
}

/** An error of the class that carries `code`, as when one crosses a thread boundary as plain data. */
export function vaultErrorOf(code: ErrorCode, message?: string, details?: ErrorDetails, options?: ErrorOptions): VaultError {
  const Type = errorClassOf(code) as unknown as new (code: ErrorCode, message?: string, details?: ErrorDetails, options?: ErrorOptions) => VaultError;
  return new Type(code, message, details, options);
}

export function isVaultError(value: unknown): value is VaultError {
  return value instanceof VaultError;
}
