import { lastTextEntry } from '../../lib/pdf-bytes/index.js';
import { COPY_ID_PATTERN, type CopyOffice } from './copy.js';

/**
 * What an annotated copy carries inside its signed bytes, as document
 * information entries (UTF-16 text strings): the one shape writers and
 * verifiers share. The original is named by identifier and SHA-256.
 */
export interface CopyMetadata {
  readonly copyId: string;
  readonly originalIdentifier: string;
  readonly originalSha256: string;
  readonly office: CopyOffice;
  readonly serviceItem: string;
  readonly purpose: string;
  /** ISO 8601 instant. */
  readonly madeAt: string;
  /** China date, inclusive. */
  readonly validUntil: string;
}

/** The document information key of each member: `/CopyId`, `/CopyOfIdentifier`, … An empty credit code stands for none. */
export const COPY_METADATA_KEYS = {
  copyId: 'CopyId',
  originalIdentifier: 'CopyOfIdentifier',
  originalSha256: 'CopyOfSha256',
  officeName: 'CopyOfficeName',
  officeCreditCode: 'CopyOfficeCreditCode',
  serviceItem: 'CopyServiceItem',
  purpose: 'CopyPurpose',
  madeAt: 'CopyMadeAt',
  validUntil: 'CopyValidUntil',
} as const;

/** The entries to write, key and text, in a fixed order. */
export function copyMetadataEntries(metadata: CopyMetadata): readonly (readonly [string, string])[] {
  const k = COPY_METADATA_KEYS;
  return [
    [k.copyId, metadata.copyId],
    [k.originalIdentifier, metadata.originalIdentifier],
    [k.originalSha256, metadata.originalSha256],
    [k.officeName, metadata.office.name],
    [k.officeCreditCode, metadata.office.creditCode ?? ''],
    [k.serviceItem, metadata.serviceItem],
    [k.purpose, metadata.purpose],
    [k.madeAt, metadata.madeAt],
    [k.validUntil, metadata.validUntil],
  ];
}

/** Whether the file says it is an annotated copy at all (it names a copy id), whatever else it holds. */
export function claimsToBeCopy(pdf: Uint8Array): boolean {
  return lastTextEntry(pdf, COPY_METADATA_KEYS.copyId) !== null;
}

/**
 * The copy metadata a file carries, or null when any member is missing or
 * malformed. Reads raw bytes only (the last entry of each key wins), so call
 * it before a verifier takes the bytes over.
 */
export function copyMetadataIn(pdf: Uint8Array): CopyMetadata | null {
  const read = (key: string) => lastTextEntry(pdf, key);
  const k = COPY_METADATA_KEYS;
  const copyId = read(k.copyId);
  // Most files verified are licenses, not copies: one scan says so.
  if (copyId === null) return null;
  const originalIdentifier = read(k.originalIdentifier);
  const originalSha256 = read(k.originalSha256);
  const officeName = read(k.officeName);
  const officeCreditCode = read(k.officeCreditCode);
  const serviceItem = read(k.serviceItem);
  const purpose = read(k.purpose);
  const madeAt = read(k.madeAt);
  const validUntil = read(k.validUntil);
  if (
    copyId === null ||
    !COPY_ID_PATTERN.test(copyId) ||
    !originalIdentifier ||
    originalSha256 === null ||
    !/^[0-9a-f]{64}$/.test(originalSha256) ||
    !officeName ||
    officeCreditCode === null ||
    !serviceItem ||
    !purpose ||
    madeAt === null ||
    Number.isNaN(Date.parse(madeAt)) ||
    validUntil === null ||
    !/^\d{4}-\d{2}-\d{2}$/.test(validUntil)
  )
    return null;
  return {
    copyId,
    originalIdentifier,
    originalSha256,
    office: { name: officeName, creditCode: officeCreditCode === '' ? null : officeCreditCode },
    serviceItem,
    purpose,
    madeAt,
    validUntil,
  };
}
