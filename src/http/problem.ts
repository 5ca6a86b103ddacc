import { ERROR_TITLES, type ErrorCode, type ErrorDetails } from '../shared/errors.js';

/** HTTP status of every stable error code. A code missing here is a compile error. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  ERR_CITIZEN_ID_NOT_STRING: 400,
  ERR_CITIZEN_ID_LENGTH: 400,
  ERR_CITIZEN_ID_CHARSET: 400,
  ERR_CITIZEN_ID_DIVISION: 400,
  ERR_CITIZEN_ID_BIRTH_DATE: 400,
  ERR_CITIZEN_ID_CHECKSUM: 400,
  ERR_CREDIT_CODE_NOT_STRING: 400,
  ERR_CREDIT_CODE_LENGTH: 400,
  ERR_CREDIT_CODE_CHARSET: 400,
  ERR_CREDIT_CODE_AUTHORITY: 400,
  ERR_CREDIT_CODE_ORG_TYPE: 400,
  ERR_CREDIT_CODE_DIVISION: 400,
  ERR_CREDIT_CODE_ORG_CHECK: 400,
  ERR_CREDIT_CODE_CHECKSUM: 400,
  ERR_HOLDER_TYPE: 400,
  ERR_LICENSE_ID_FORMAT: 400,
  ERR_LICENSE_ID_TYPE_CODE: 400,
  ERR_LICENSE_ID_ISSUER: 400,
  ERR_LICENSE_ID_SERIAL: 400,
  ERR_LICENSE_ID_VERSION: 400,
  ERR_LICENSE_ID_CHECKSUM: 400,
  ERR_LICENSE_NOT_FOUND: 404,
  ERR_CONFIG_INVALID: 500,
  ERR_SIGNER_KEY_MISSING: 503,
  ERR_SIGNER_PASSWORD: 503,
  ERR_SIGNER_KEY_STORE_INVALID: 503,
  ERR_SIGNER_KEY_MISMATCH: 503,
  ERR_SIGNER_CERT_NOT_YET_VALID: 503,
  ERR_SIGNER_CERT_EXPIRED: 503,
  ERR_SIGNER_CERT_USAGE: 503,
  ERR_SIGNER_ALGORITHM: 503,
  ERR_SIGNER_UNAVAILABLE: 503,
  ERR_PKI_EXISTS: 409,
  ERR_PKI_CA_MISSING: 503,
  ERR_PDF_NO_SIGNATURE_PLACEHOLDER: 500,
  ERR_PDF_SIGNATURE_TOO_LARGE: 500,
  ERR_PDF_INVALID: 400,
  ERR_STORE_DUPLICATE: 409,
  ERR_STORE_VERSION_CONFLICT: 409,
  ERR_STORE_NOT_FOUND: 404,
  ERR_STORE_CURSOR_INVALID: 400,
  ERR_STORE_SCHEMA_TOO_NEW: 500,
  ERR_STORE_UNAVAILABLE: 503,
  ERR_REQUEST_INVALID: 400,
  ERR_REQUEST_MALFORMED_JSON: 400,
  ERR_REQUEST_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_ROUTE_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_SHUTTING_DOWN: 503,
  ERR_INTERNAL: 500,
};

/** An RFC 9457 problem details body, extended with the stable code and the request id. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly requestId: string;
  readonly details?: ErrorDetails;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problem(code: ErrorCode, detail: string, requestId: string, details?: ErrorDetails): Problem {
  return {
    type: `urn:license-vault:problem:${code}`,
    title: ERROR_TITLES[code],
    status: STATUS_BY_CODE[code],
    detail,
    code,
    requestId,
    ...(details ? { details } : {}),
  };
}
