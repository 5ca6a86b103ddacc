import type { HolderNumber } from '../identity/index.js';
import { AuthorizationError } from '../../shared/errors.js';

/** Shortest lifetime of an authorization, in minutes. */
export const MIN_LIFETIME_MINUTES = 5;
/** Longest lifetime of an authorization: 7 days, in minutes. */
export const MAX_LIFETIME_MINUTES = 7 * 24 * 60;
/** Lifetime when the holder chooses none, in minutes. */
export const DEFAULT_LIFETIME_MINUTES = 30;
/** Most uses one authorization may allow. */
export const MAX_USES = 20;
/** Most licenses, and most license types, one authorization may name. */
export const MAX_COVERED = 50;
/** How long an ended authorization stays in the holder's list (marked as ended), in days. */
export const RECENTLY_ENDED_DAYS = 7;

/**
 * A holder's authorization of an office (授权用证): which licenses, for
 * which office, service item and purpose, until when and how many times.
 * The 用证码 is kept only as its hash.
 */
export interface AuthorizationRecord {
  /** Random, unguessable; names the authorization in the holder's list and in audit entries. */
  readonly id: string;
  /** SHA-256 of the normalised code ({@link hashCode}); unique. */
  readonly codeHash: string;
  /** The code's last two symbols, for the holder's list. */
  readonly codeHint: string;
  readonly holder: HolderNumber;
  /** License identifiers chosen one by one. */
  readonly licenses: readonly string[];
  /** License type codes chosen whole: at redemption, the holder's licenses of these types in force. */
  readonly licenseTypes: readonly string[];
  /** Credit code of the one department that may redeem it; null: any office. */
  readonly office: string | null;
  /** That department's name when the authorization was made, for the holder's list. */
  readonly officeName: string | null;
  /** 办理事项. */
  readonly serviceItem: string;
  /** 用证事由. */
  readonly purpose: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usesAllowed: number;
  readonly usesMade: number;
  /** Client ids of the clerks who redeemed it, one per use, in order. */
  readonly redeemedBy: readonly string[];
  readonly withdrawnAt: string | null;
}

/** Where an authorization stands at an instant. */
export type AuthorizationState = 'live' | 'expired' | 'withdrawn' | 'used-up';

/** Withdrawn first (the holder's own act), then expired, then used up. */
export function stateOf(record: AuthorizationRecord, now: Date): AuthorizationState {
  if (record.withdrawnAt !== null) return 'withdrawn';
  if (Date.parse(record.expiresAt) <= now.getTime()) return 'expired';
  if (record.usesMade >= record.usesAllowed) return 'used-up';
  return 'live';
}

const REFUSAL: Readonly<Record<Exclude<AuthorizationState, 'live'>, AuthorizationError['code']>> = {
  withdrawn: 'ERR_AUTHORIZATION_WITHDRAWN',
  expired: 'ERR_AUTHORIZATION_EXPIRED',
  'used-up': 'ERR_AUTHORIZATION_USED_UP',
};

/**
 * Why `department` may not redeem the authorization now, or null when it may:
 * one cause, in the order withdrawn, expired, used up, another office.
 */
export function refusalOf(record: AuthorizationRecord, now: Date, department: string | null): AuthorizationError['code'] | null {
  const state = stateOf(record, now);
  if (state !== 'live') return REFUSAL[state];
  if (record.office !== null && record.office !== department) return 'ERR_AUTHORIZATION_WRONG_OFFICE';
  return null;
}

/** The uses an authorization has left. */
export function usesLeft(record: AuthorizationRecord): number {
  return Math.max(0, record.usesAllowed - record.usesMade);
}

/** A lifetime in whole minutes within the bounds; the default when absent. */
export function checkLifetime(minutes: number | undefined): number {
  const lifetime = minutes ?? DEFAULT_LIFETIME_MINUTES;
  if (!Number.isInteger(lifetime) || lifetime < MIN_LIFETIME_MINUTES || lifetime > MAX_LIFETIME_MINUTES) {
    throw invalid('lifetimeMinutes', `must be a whole number of minutes from ${MIN_LIFETIME_MINUTES} to ${MAX_LIFETIME_MINUTES} (7 days)`);
  }
  return lifetime;
}

/** Uses allowed, 1 to {@link MAX_USES}; 1 when absent. */
export function checkUses(uses: number | undefined): number {
  const allowed = uses ?? 1;
  if (!Number.isInteger(allowed) || allowed < 1 || allowed > MAX_USES) throw invalid('uses', `must be a whole number from 1 to ${MAX_USES}`);
  return allowed;
}

export function invalid(field: string, message: string): AuthorizationError {
  return new AuthorizationError('ERR_AUTHORIZATION_INVALID', `${field}: ${message}`, { field });
}
