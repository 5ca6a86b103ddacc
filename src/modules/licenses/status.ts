import { LICENSE_STATUSES, type LicenseRecord, type LicenseStatus } from './license.js';
import { chinaToday } from './validity.js';

/** What a license can be now: a stored status, or `expired` for an active one past its validity (never stored). */
export const EFFECTIVE_STATUSES = [...LICENSE_STATUSES, 'expired'] as const;
export type EffectiveStatus = (typeof EFFECTIVE_STATUSES)[number];

export function effectiveStatus(license: Pick<LicenseRecord, 'status' | 'validUntil'>, now: Date): EffectiveStatus {
  if (license.status === 'active' && license.validUntil !== null && license.validUntil < chinaToday(now)) return 'expired';
  return license.status;
}

/** Lifecycle actions and the stored statuses each may start from. */
export const TRANSITIONS = {
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
  reissue: { from: ['active', 'suspended'], to: 'superseded' },
} as const satisfies Record<string, { from: readonly LicenseStatus[]; to: LicenseStatus }>;
export type LifecycleAction = keyof typeof TRANSITIONS;
