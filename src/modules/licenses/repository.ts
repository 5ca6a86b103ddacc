import type { HolderType } from '../identity/index.js';
import type { LicenseFile, LicenseRecord, LicenseStatus } from './license.js';

export interface HolderQuery {
  readonly holderType: HolderType;
  readonly holderNumber: string;
  /** Only these stored statuses; all when absent or empty. */
  readonly statuses?: readonly LicenseStatus[];
  /** Only this license type. */
  readonly typeCode?: string;
  /** Only licenses this department issued. */
  readonly issuerCreditCode?: string;
  /** Page size, 1..500. */
  readonly limit: number;
  /** Token from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

/** Newest first: issuedAt descending, then identifier descending. */
export interface LicensePage {
  readonly items: readonly LicenseRecord[];
  /** Present when more items follow. */
  readonly nextCursor: string | null;
}

export interface StatusChange {
  readonly identifier: string;
  readonly status: LicenseStatus;
  /** The revision the caller read; the change fails with ERR_STORE_VERSION_CONFLICT if it moved. */
  readonly expectedRevision: number;
  readonly reason: string | null;
  /** ISO 8601 instant. */
  readonly at: string;
}

/** License records. Unique keys: identifier, sha256, (issuer, licenseNumber), (type, issuer, serial, version). */
export interface LicenseRepository {
  /** Throws ERR_STORE_DUPLICATE (details.key names the key) when a unique key is taken. */
  insert(record: LicenseRecord): Promise<void>;
  findByIdentifier(identifier: string): Promise<LicenseRecord | null>;
  findBySha256(sha256: string): Promise<LicenseRecord | null>;
  findByLicenseNumber(issuerCreditCode: string, licenseNumber: string): Promise<LicenseRecord | null>;
  /** Licenses with this number from any issuer (numbers are unique per issuer only), at most 10. */
  findAllByLicenseNumber(licenseNumber: string): Promise<readonly LicenseRecord[]>;
  listByHolder(query: HolderQuery): Promise<LicensePage>;
  /** Throws ERR_LICENSE_NOT_FOUND or ERR_STORE_VERSION_CONFLICT; returns the updated record. */
  changeStatus(change: StatusChange): Promise<LicenseRecord>;
  /**
   * The next number of each of `counters` (distinct, at least one), in their
   * order: each starts at 1 and never gives the same number twice. One atomic
   * write (one durable commit) advances them all and records a reservation of
   * each number, which stays until {@link settleNumbers}: a number whose
   * license was never stored (a failure, a crash) is a gap with an explanation.
   */
  reserveNumbers(counters: readonly CounterKey[], reservedAt: string): Promise<readonly number[]>;
  /** Clears the reservations of these numbers: call it in the transaction that stores the license holding them. */
  settleNumbers(numbers: readonly CounterValue[]): Promise<void>;
  /**
   * Moves a counter forward so that it never hands out `through` or a number
   * below it (an imported license holds it, or a restore lost what was handed
   * out). Returns the numbers this skipped, or null when the counter was
   * already there. Callers record the skip in the audit log, in the same
   * transaction, as `serial.skip`.
   */
  raiseCounter(scope: string, issuerCreditCode: string, through: number): Promise<SkippedSerials | null>;
  /** Every counter and every reservation not settled, for consistency checks. */
  serialLedger(): Promise<SerialLedger>;
  /** All licenses in identifier order, a page at a time: those after `afterIdentifier` (null: from the start). */
  scan(afterIdentifier: string | null, limit: number): Promise<readonly LicenseRecord[]>;
  count(): Promise<number>;
}

/** The counters of license numbers are named by this prefix and the year. */
export const LICENSE_NUMBER_COUNTER = 'license-number:';

/** Names a counter: `scope` is a license type code for serials, or another counter's name (license numbers). */
export interface CounterKey {
  readonly scope: string;
  readonly issuerCreditCode: string;
}

/** What {@link LicenseRepository.reserveNumbers} accepts: at least one counter, none named twice; a TypeError otherwise. */
export function requireDistinctCounters(counters: readonly CounterKey[]): void {
  const names = new Set(counters.map((counter) => `${counter.scope}|${counter.issuerCreditCode}`));
  if (names.size === 0 || names.size !== counters.length) throw new TypeError('reserve at least one counter, each once');
}

/** A value of one counter. */
export interface CounterValue extends CounterKey {
  readonly value: number;
}

/** A counter: numbers 1..last have been handed out for (scope, issuer). */
export interface SerialCounter extends CounterKey {
  readonly last: number;
}

/** Numbers `from`..`through` of a counter, passed over without being handed out. */
export interface SkippedSerials {
  readonly scope: string;
  readonly issuerCreditCode: string;
  readonly from: number;
  readonly through: number;
}

/** A number handed out whose license has not been stored: in flight, or abandoned. */
export interface SerialReservation {
  readonly scope: string;
  readonly issuerCreditCode: string;
  readonly value: number;
  readonly reservedAt: string;
}

export interface SerialLedger {
  readonly counters: readonly SerialCounter[];
  readonly reservations: readonly SerialReservation[];
}

/** Signed PDFs, keyed by license identifier. */
export interface LicenseFileRepository {
  /** Throws ERR_STORE_DUPLICATE if the identifier already has a file. */
  put(file: LicenseFile): Promise<void>;
  get(identifier: string): Promise<LicenseFile | null>;
}

/** A remembered request made with an Idempotency-Key. */
export interface IdempotencyRecord {
  /** Who made the request (client id): keys are per client. */
  readonly scope: string;
  readonly key: string;
  /** SHA-256 of the canonical request, to tell a retry from a different request. */
  readonly requestHash: string;
  /** What the request produced (for issuance: the license identifier). */
  readonly resultRef: string;
  readonly createdAt: string;
}

export interface IdempotencyRepository {
  /** Throws ERR_STORE_DUPLICATE if (scope, key) is taken. */
  put(record: IdempotencyRecord): Promise<void>;
  get(scope: string, key: string): Promise<IdempotencyRecord | null>;
}
