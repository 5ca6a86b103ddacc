import { randomBytes } from 'node:crypto';
import type { AuditActor } from '../audit/index.js';
import { chinaToday } from '../licenses/index.js';
import { CopyError } from '../../shared/errors.js';

/** Crockford's base32 alphabet: no I, L, O or U to misread. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** `JZ` (加注) and 20 base32 characters: 100 random bits. */
export const COPY_ID_PATTERN = /^JZ[0-9A-HJKMNP-TV-Z]{20}$/;
export const OFFICE_NAME_MAX_LENGTH = 100;
export const COPY_MAX_DAYS = 366;
export const COPY_DEFAULT_DAYS = 30;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The office an annotated copy was made for: the acting department, or a clerk's desk of no department. */
export interface CopyOffice {
  readonly name: string;
  /** The department's unified social credit code; null for a clerk of no department. */
  readonly creditCode: string | null;
}

/** A copy as the vault keeps it. */
export interface CopyRecord {
  readonly copyId: string;
  /** Random, printed in the copy's QR link only: with the id, it opens the copy's verdict. */
  readonly verificationCode: string;
  readonly originalIdentifier: string;
  readonly originalSha256: string;
  /** SHA-256 of the signed copy, lower-case hex. */
  readonly sha256: string;
  readonly office: CopyOffice;
  readonly serviceItem: string;
  readonly purpose: string;
  /** China date (YYYY-MM-DD), the last day the copy is valid. */
  readonly validUntil: string;
  /** ISO 8601 instant. */
  readonly createdAt: string;
  /** The account that made it. */
  readonly madeBy: AuditActor;
}

export function newCopyId(): string {
  const bytes = randomBytes(20);
  return `JZ${Array.from(bytes, (byte) => BASE32[byte & 31]).join('')}`;
}

export function newCopyVerificationCode(): string {
  return randomBytes(16).toString('base64url');
}

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * The last day (China date) a copy made at `now` is valid: `validUntil` as
 * given, or today + `validDays`; from today to {@link COPY_MAX_DAYS} ahead.
 * Neither given: {@link COPY_DEFAULT_DAYS}.
 * @throws CopyError ERR_COPY_VALIDITY_INVALID
 */
export function copyValidUntil(now: Date, validity: { readonly validDays?: number | undefined; readonly validUntil?: string | undefined }): string {
  const today = chinaToday(now);
  const latest = addDays(today, COPY_MAX_DAYS);
  if (validity.validDays !== undefined && validity.validUntil !== undefined) throw new CopyError('ERR_COPY_VALIDITY_INVALID', 'give validDays or validUntil, not both');
  if (validity.validUntil !== undefined) {
    const until = validity.validUntil;
    if (!DATE.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`)) || new Date(`${until}T00:00:00Z`).toISOString().slice(0, 10) !== until)
      throw new CopyError('ERR_COPY_VALIDITY_INVALID');
    if (until < today || until > latest) throw new CopyError('ERR_COPY_VALIDITY_INVALID', `validUntil must be from ${today} to ${latest}`);
    return until;
  }
  const days = validity.validDays ?? COPY_DEFAULT_DAYS;
  if (!Number.isSafeInteger(days) || days < 1 || days > COPY_MAX_DAYS) throw new CopyError('ERR_COPY_VALIDITY_INVALID');
  return addDays(today, days);
}

/** Whether a copy valid until `validUntil` (inclusive, China date) has run out at `now`. */
export function isCopyExpired(validUntil: string, now: Date): boolean {
  return chinaToday(now) > validUntil;
}
