/** Shortest purpose of use (用证事由), in characters, after trimming; two of them must be letters. */
export const PURPOSE_MIN_LENGTH = 4;
/** Longest purpose of use (用证事由) a look-up or read may give, in characters, after trimming. */
export const PURPOSE_MAX_LENGTH = 200;
/** Longest reason for a suspension, revocation or reinstatement, in characters, after trimming. */
export const REASON_MAX_LENGTH = 200;
/** Longest holder name (持证主体名称), in characters, after trimming. */
export const HOLDER_NAME_MAX_LENGTH = 100;
/** An Idempotency-Key: 1–200 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** Most licenses one batch issuance may ask for. */
export const BATCH_MAX_ITEMS = 500;
/** Most licenses one page of a holder look-up returns. */
export const PAGE_MAX_LIMIT = 100;
