import type { SecurityEventRecorder } from '../modules/audit/index.js';
import { FailedAttemptLimiter } from '../modules/auth/index.js';
import { AuthorizationRedemption, HolderAuthorizations, redeemedCoverage, type AuthorizationStore, type RedemptionLimits } from '../modules/authorizations/index.js';
import type { ConsentCheck, HolderFingerprinter } from '../modules/licenses/index.js';
import type { Clock } from '../shared/clock.js';

/** Unknown 用证码 one clerk account may send in {@link LOCK_WINDOW_MS} before redemption locks for the rest of it. */
export const UNKNOWN_CODES_PER_ACCOUNT = 10;
/** Unknown 用证码 one client address may send in the window, whatever accounts it uses. */
export const UNKNOWN_CODES_PER_ADDRESS = 30;
/** The window unknown codes are counted in, and so the longest lock: 15 minutes. */
export const LOCK_WINDOW_MS = 15 * 60_000;
/** Authorizations one holder's session may make per minute. */
export const AUTHORIZATIONS_PER_MINUTE = 20;

export interface AuthorizationServiceOptions {
  readonly store: AuthorizationStore;
  readonly clock: Clock;
  readonly fingerprinter: HolderFingerprinter;
  readonly securityEvents: Pick<SecurityEventRecorder, 'record' | 'write'>;
  readonly isKnownLicenseType: (typeCode: string) => boolean;
  readonly lookupPolicy: 'number' | 'consent';
}

export interface AuthorizationServices {
  readonly holders: HolderAuthorizations;
  readonly redemption: AuthorizationRedemption;
  /** What LicenseQueries checks a clerk's reads against under the consent policy; undefined under `number`. */
  readonly consent: ConsentCheck | undefined;
}

/** Per-process brakes on guessing codes (as the token endpoint's): each API node counts its own. */
export function redemptionLimits(clock: Clock): RedemptionLimits {
  return {
    perAccount: new FailedAttemptLimiter(clock, UNKNOWN_CODES_PER_ACCOUNT, LOCK_WINDOW_MS),
    perAddress: new FailedAttemptLimiter(clock, UNKNOWN_CODES_PER_ADDRESS, LOCK_WINDOW_MS),
  };
}

/** The holder's side of authorizations, the clerk's redemption, and the consent check, over one store. */
export function authorizationServices(options: AuthorizationServiceOptions): AuthorizationServices {
  const { store, clock, fingerprinter } = options;
  return {
    holders: new HolderAuthorizations({
      store,
      clock,
      fingerprinter,
      isKnownLicenseType: options.isKnownLicenseType,
      // Recorded under the license owner's fingerprint, so the attempt shows in the owner's usage record; the actor is the asking holder, masked.
      onDenied: (who, identifier, ownerFingerprint) =>
        options.securityEvents.record({
          action: 'holder.access.denied',
          actor: who.actor,
          target: identifier,
          details: { holderFingerprint: ownerFingerprint, code: 'ERR_LICENSE_NOT_FOUND' },
        }),
    }),
    redemption: new AuthorizationRedemption({ store, clock, fingerprinter, securityEvents: options.securityEvents, limits: redemptionLimits(clock) }),
    consent: options.lookupPolicy === 'consent' ? redeemedCoverage(store.authorizations, clock) : undefined,
  };
}
