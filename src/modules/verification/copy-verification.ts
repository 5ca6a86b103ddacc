import { chineseDate, isCopyExpired, type CopyMetadata, type CopyOffice, type CopyRecord } from '../copies/index.js';
import { chinaToday, effectiveStatus, type EffectiveStatus, type LicenseRecord } from '../licenses/index.js';
import type { SignatureVerdict } from './verdict.js';

/** What anyone verifying an annotated copy may see of it: who took it, for what, until when, and its original's status now. */
export interface CopySummary {
  readonly copyId: string;
  /** The office the holder provided it to. */
  readonly office: CopyOffice;
  readonly serviceItem: string;
  readonly purpose: string;
  /** ISO 8601 instant. */
  readonly madeAt: string;
  /** China date, inclusive. */
  readonly validUntil: string;
  readonly expired: boolean;
  readonly original: {
    readonly identifier: string;
    /** The original's status now; null offline, where it cannot be known. */
    readonly status: EffectiveStatus | null;
    /** Whether the original is in force now (null offline). */
    readonly inForce: boolean | null;
  };
}

export interface CopyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The checks a copy passes or fails beyond its signature, and what it then is. */
export interface CopyJudgement {
  readonly result: 'authentic-copy' | 'copy-expired' | 'not-issued-here';
  /** True only for an authentic copy, within its validity, of a license in force. */
  readonly valid: boolean;
  readonly copy: CopySummary;
  readonly checks: readonly CopyCheck[];
}

export function copySummary(
  record: Pick<CopyRecord, 'copyId' | 'office' | 'serviceItem' | 'purpose' | 'validUntil' | 'originalIdentifier'> & { readonly madeAt: string },
  original: LicenseRecord | null,
  now: Date,
): CopySummary {
  const status = original ? effectiveStatus(original, now) : null;
  return {
    copyId: record.copyId,
    office: record.office,
    serviceItem: record.serviceItem,
    purpose: record.purpose,
    madeAt: record.madeAt,
    validUntil: record.validUntil,
    expired: isCopyExpired(record.validUntil, now),
    original: { identifier: record.originalIdentifier, status, inForce: status === null ? null : status === 'active' },
  };
}

/** The signature check that a copy is signed by the vault platform's annotated-copy certificate. */
export function platformSignerCheck(verdict: Pick<SignatureVerdict, 'copySigner' | 'signer'>): CopyCheck {
  return verdict.copySigner
    ? { name: 'platform-signer', ok: true, detail: 'signed by the vault platform’s annotated-copy certificate' }
    : { name: 'platform-signer', ok: false, detail: `an annotated copy is signed by the vault platform only, not by ${verdict.signer?.subject ?? 'this signer'}` };
}

function validityCheck(validUntil: string, now: Date): CopyCheck {
  return isCopyExpired(validUntil, now)
    ? { name: 'copy-validity', ok: false, detail: `the copy was valid until ${validUntil} (${chineseDate(validUntil)}, China time); today is ${chinaToday(now)}` }
    : { name: 'copy-validity', ok: true, detail: `the copy is valid until ${validUntil} (China time)` };
}

/**
 * Judges a copy the vault made (found by its exact bytes or by the id its
 * valid signature carries): the metadata inside agrees with the record, the
 * original is known with the hash the copy names, the copy is within its
 * validity, and the original is in force. A copy of a revoked license stays
 * an authentic copy, but not a valid one: its summary says so.
 */
export function judgeCopy(record: CopyRecord, metadata: CopyMetadata | null, original: LicenseRecord | null, now: Date): CopyJudgement {
  const checks: CopyCheck[] = [];
  const metadataOk =
    metadata !== null &&
    metadata.copyId === record.copyId &&
    metadata.originalIdentifier === record.originalIdentifier &&
    metadata.originalSha256 === record.originalSha256 &&
    metadata.validUntil === record.validUntil &&
    metadata.serviceItem === record.serviceItem;
  checks.push(
    metadataOk
      ? { name: 'copy-metadata', ok: true, detail: 'the copy names its original (identifier and SHA-256), office, service item, purpose and validity, as recorded' }
      : { name: 'copy-metadata', ok: false, detail: 'the copy’s metadata is missing or differs from what the vault recorded' },
  );
  const originalOk = original !== null && original.sha256 === record.originalSha256;
  checks.push(
    originalOk
      ? { name: 'original-known', ok: true, detail: 'the original is a license of this vault, with the SHA-256 the copy names' }
      : {
          name: 'original-known',
          ok: false,
          detail: original ? 'the original’s SHA-256 is not the one the copy names' : 'this vault has no license with the identifier the copy names',
        },
  );
  checks.push(validityCheck(record.validUntil, now));
  const copy = copySummary({ ...record, madeAt: record.createdAt }, originalOk ? original : null, now);
  const status = copy.original.status;
  checks.push(
    status === 'active'
      ? { name: 'original-status', ok: true, detail: 'the original license is in force' }
      : { name: 'original-status', ok: false, detail: status ? `the original license is ${status}: the copy is not in force` : 'the original license’s status is unknown' },
  );
  if (!metadataOk || !originalOk) return { result: 'not-issued-here', valid: false, copy, checks };
  if (copy.expired) return { result: 'copy-expired', valid: false, copy, checks };
  return { result: 'authentic-copy', valid: status === 'active', copy, checks };
}

/**
 * Offline, from the file alone (its signature already verified): the copy's
 * validity by the clock; whether the original still exists and is in force
 * is known only to the vault, so the summary says null and a check says so.
 */
export function judgeCopyOffline(metadata: CopyMetadata, now: Date): { result: 'authentic-copy' | 'copy-expired'; copy: CopySummary; checks: readonly CopyCheck[] } {
  const copy = copySummary({ ...metadata, madeAt: metadata.madeAt }, null, now);
  const checks: CopyCheck[] = [
    { name: 'copy-metadata', ok: true, detail: 'the copy names its original (identifier and SHA-256), office, service item, purpose and validity' },
    validityCheck(metadata.validUntil, now),
    {
      name: 'original-status',
      ok: false,
      detail: 'offline: whether the original still exists, matches the SHA-256 the copy names and is in force is known only to the vault — open the copy’s QR link',
    },
  ];
  return { result: copy.expired ? 'copy-expired' : 'authentic-copy', copy, checks };
}
