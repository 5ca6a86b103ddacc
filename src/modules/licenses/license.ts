import type { HolderType } from '../identity/index.js';
import type { FieldValue } from '../templates/index.js';

/** Stores read and write face fields with the license. */
export type { FieldValue };

/** Stored lifecycle states. `expired` is derived from validity and the clock, never stored. */
export const LICENSE_STATUSES = ['active', 'suspended', 'revoked', 'superseded'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** The holder (持证主体) as stored: the number is normalised, never masked. */
export interface LicenseHolder {
  readonly type: HolderType;
  readonly number: string;
  readonly name: string;
}

export interface LicenseIssuer {
  readonly creditCode: string;
  readonly name: string;
}

/**
 * One issued license (GB/T 36903 metadata) as repositories return it: a plain,
 * immutable object. The signed PDF is stored apart and never loaded with it.
 */
export interface LicenseRecord {
  /** 电子证照标识, GB/T 36904. */
  readonly identifier: string;
  /** 证照编号 printed on the face. */
  readonly licenseNumber: string;
  readonly typeCode: string;
  readonly serial: string;
  /** License version (reissue n+1), part of the identifier. */
  readonly version: number;
  readonly issuer: LicenseIssuer;
  readonly holder: LicenseHolder;
  /** Jurisdiction (administrative division code, GB/T 2260). */
  readonly divisionCode: string;
  /** ISO 8601 instant, UTC, millisecond precision. */
  readonly issuedAt: string;
  /** YYYY-MM-DD. */
  readonly validFrom: string;
  /** YYYY-MM-DD, or null for 长期 (no end). */
  readonly validUntil: string | null;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly templateVersion: string;
  readonly status: LicenseStatus;
  readonly statusReason: string | null;
  readonly statusChangedAt: string | null;
  /** Identifier of the license this one superseded, if it is a reissue. */
  readonly supersedes: string | null;
  /** Optimistic concurrency counter: starts at 1, +1 on every change. */
  readonly revision: number;
  /** Lower-case hex SHA-256 of the signed PDF. */
  readonly sha256: string;
  /** Lower-case hex SHA-256 of the signing certificate (DER). */
  readonly certificateFingerprint: string;
  /** Random code carried by the QR link. */
  readonly verificationCode: string;
}

/** The signed PDF of a license, kept apart from its record. */
export interface LicenseFile {
  readonly identifier: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
}
