import type { SecurityEventRecorder } from '../audit/index.js';
import { actorOf, type FailedAttemptLimiter, type Principal } from '../auth/index.js';
import { effectiveStatus, type HolderFingerprinter, type LicenseRecord, type LicenseView } from '../licenses/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthorizationError, isVaultError } from '../../shared/errors.js';
import { refusalOf, usesLeft, type AuthorizationRecord } from './authorization.js';
import { hashCode, normalizeCode } from './code.js';
import type { AuthorizationRepositories, AuthorizationStore } from './holder-authorizations.js';

/** Most licenses of one type a redemption resolves (a holder has a handful). */
const PER_TYPE_LIMIT = 100;

export interface RedemptionLimits {
  /** Unknown codes per clerk account. */
  readonly perAccount: FailedAttemptLimiter;
  /** Unknown codes per client address, whatever accounts it uses. */
  readonly perAddress: FailedAttemptLimiter;
}

export interface RedemptionDependencies {
  readonly store: AuthorizationStore;
  readonly clock: Clock;
  readonly fingerprinter: HolderFingerprinter;
  readonly limits: RedemptionLimits;
  /** Unknown codes and lockouts go to the audit log as security events. */
  readonly securityEvents: Pick<SecurityEventRecorder, 'record' | 'write'>;
}

/** What a clerk gets for a live code: the authorization's terms and exactly the licenses it covers. */
export interface Redeemed {
  readonly authorization: {
    readonly id: string;
    readonly serviceItem: string;
    readonly purpose: string;
    readonly office: string | null;
    readonly expiresAt: string;
    readonly usesLeft: number;
  };
  readonly licenses: readonly LicenseView[];
}

type Outcome = { readonly redeemed: Redeemed } | { readonly refused: AuthorizationError['code'] };

/**
 * Clerks redeem a holder's 用证码 (用证). One transaction reads the
 * authorization, takes one use atomically, reads the licenses it covers and
 * appends one audit entry: `authorization.redeem`, or
 * `authorization.redeem.refused` with the one cause (expired, withdrawn, used
 * up, another office), each naming the holder by fingerprint, so the holder's
 * usage record shows it. An unknown code reveals nothing and is counted per
 * account and per address; too many lock redemption for a while.
 */
export class AuthorizationRedemption {
  constructor(private readonly deps: RedemptionDependencies) {}

  async redeem(principal: Principal, rawCode: unknown): Promise<Redeemed> {
    const address = principal.origin?.address ?? '';
    this.checkLock(this.deps.limits.perAccount, principal.clientId);
    if (address) this.checkLock(this.deps.limits.perAddress, address);
    const code = normalizeCode(rawCode);
    const codeHash = hashCode(code);
    const outcome = await this.deps.store.transaction((tx) => this.attempt(tx, principal, codeHash));
    if (outcome === null) return this.unknown(principal, address);
    if ('refused' in outcome) throw new AuthorizationError(outcome.refused);
    return outcome.redeemed;
  }

  private async attempt(tx: AuthorizationRepositories, principal: Principal, codeHash: string): Promise<Outcome | null> {
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const found = await tx.authorizations.findByCodeHash(codeHash);
    if (!found) return null;
    const refused = refusalOf(found, now, principal.department);
    const taken = refused === null ? await tx.authorizations.redeemOnce(found.id, principal.clientId, at) : null;
    if (!taken) {
      // Another clerk may have taken the last use since the read: say what stands now.
      const cause = refused ?? refusalOf((await tx.authorizations.get(found.id)) ?? found, now, principal.department) ?? 'ERR_AUTHORIZATION_USED_UP';
      await this.audit(tx, principal, at, 'authorization.redeem.refused', found, { code: cause });
      return { refused: cause };
    }
    const licenses = await this.covered(tx, taken, now);
    await this.audit(tx, principal, at, 'authorization.redeem', taken, { licenses: licenses.map((license) => license.identifier), usesLeft: usesLeft(taken) });
    const authorization = { id: taken.id, serviceItem: taken.serviceItem, purpose: taken.purpose, office: taken.office, expiresAt: taken.expiresAt, usesLeft: usesLeft(taken) };
    return { redeemed: { authorization, licenses } };
  }

  /** The licenses chosen one by one (still the holder's), then those of the chosen types in force, newest first, each once. */
  private async covered(tx: AuthorizationRepositories, record: AuthorizationRecord, now: Date): Promise<LicenseView[]> {
    const found = new Map<string, LicenseRecord>();
    for (const identifier of record.licenses) {
      const license = await tx.licenses.findByIdentifier(identifier);
      if (license && license.holder.type === record.holder.type && license.holder.number === record.holder.value) found.set(license.identifier, license);
    }
    for (const typeCode of record.licenseTypes) {
      const page = await tx.licenses.listByHolder({ holderType: record.holder.type, holderNumber: record.holder.value, typeCode, statuses: ['active'], limit: PER_TYPE_LIMIT });
      for (const license of page.items) if (effectiveStatus(license, now) === 'active') found.set(license.identifier, license);
    }
    return [...found.values()]
      .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || b.identifier.localeCompare(a.identifier))
      .map((license) => ({ ...license, effectiveStatus: effectiveStatus(license, now) }));
  }

  private async audit(tx: AuthorizationRepositories, principal: Principal, at: string, action: string, record: AuthorizationRecord, extra: Record<string, unknown>): Promise<void> {
    await tx.audit.append({
      at,
      actor: actorOf(principal),
      action,
      target: record.id,
      details: {
        holderFingerprint: this.deps.fingerprinter.fingerprint(record.holder),
        serviceItem: record.serviceItem,
        purpose: record.purpose,
        department: principal.department,
        ...extra,
      },
    });
  }

  /** Counts an unknown code against the account and the address, records it, and starts a lockout at the limit. */
  private async unknown(principal: Principal, address: string): Promise<never> {
    const { perAccount, perAddress } = this.deps.limits;
    const lockouts = [
      perAccount.fail(principal.clientId) ? { scope: 'account', limiter: perAccount } : null,
      address && perAddress.fail(address) ? { scope: 'address', limiter: perAddress } : null,
    ];
    const actor = actorOf(principal);
    await this.deps.securityEvents.record({
      action: 'authorization.redeem.refused',
      actor,
      target: null,
      details: { code: 'ERR_AUTHORIZATION_UNKNOWN', department: principal.department },
    });
    for (const lockout of lockouts) {
      if (!lockout) continue;
      const details = { scope: lockout.scope, failures: lockout.limiter.maxFailures, windowSeconds: lockout.limiter.windowMs / 1000, department: principal.department };
      await this.deps.securityEvents.write({ action: 'authorization.redeem.locked', actor, target: principal.clientId, details });
    }
    throw new AuthorizationError('ERR_AUTHORIZATION_UNKNOWN');
  }

  private checkLock(limiter: FailedAttemptLimiter, key: string): void {
    try {
      limiter.check(key);
    } catch (error) {
      if (!isVaultError(error) || error.code !== 'ERR_AUTH_TOO_MANY_ATTEMPTS') throw error;
      throw new AuthorizationError('ERR_AUTHORIZATION_REDEEM_LOCKED', undefined, error.details, { cause: error });
    }
  }
}
