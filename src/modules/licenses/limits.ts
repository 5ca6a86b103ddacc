/** Longest purpose of use (用证事由) a look-up or read may give, in characters, after trimming. */
export const PURPOSE_MAX_LENGTH = 200;
/** Longest reason for a suspension, revocation or reinstatement, in characters, after trimming. */
export const REASON_MAX_LENGTH = 200;
/** Longest holder name (持证主体名称), in characters, after trimming. */
export const HOLDER_NAME_MAX_LENGTH = 100;
/** Most licenses one batch issuance may ask for. */
export const BATCH_MAX_ITEMS = 500;
/** Most licenses one page of a holder look-up returns. */
export const PAGE_MAX_LIMIT = 100;
