import type { AuditLog } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import { maskIdentityNumbersInText } from '../identity/index.js';
import type { Clock } from '../../shared/clock.js';
import { LicenseError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { HolderFingerprinter } from './holder-fingerprint.js';
import type { LicenseRecord } from './license.js';
import type { LicenseRepository } from './repository.js';
import { REASON_MAX_LENGTH } from './limits.js';
import { TRANSITIONS, type LifecycleAction } from './status.js';
import { requiredText } from './text-input.js';

/** A status change and its audit entry commit together. */
export type LifecycleStore = UnitOfWork<{ readonly licenses: LicenseRepository; readonly audit: AuditLog }>;

/** Checks that `principal` issued `license` and that `action` may start from its status. */
export function assertTransition(principal: Principal, license: LicenseRecord | null, action: LifecycleAction): LicenseRecord {
  if (!license || principal.role !== 'issuer' || license.issuer.creditCode !== principal.department) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
  const allowed: readonly string[] = TRANSITIONS[action].from;
  if (!allowed.includes(license.status)) {
    throw new LicenseError('ERR_LICENSE_TRANSITION', `a ${license.status} license cannot be ${action === 'reissue' ? 'reissued' : `${action}d`}`, { from: license.status, action });
  }
  return license;
}

/**
 * Status changes by the issuing department: suspend (active → suspended),
 * reinstate (suspended → active), revoke (active|suspended → revoked, final).
 * Each is checked against the revision it was read at and audited in the
 * same transaction.
 */
export class LicenseLifecycle {
  constructor(
    private readonly store: LifecycleStore,
    private readonly clock: Clock,
    /** Names the holder in each entry, so that the change shows in their usage record. */
    private readonly fingerprinter?: HolderFingerprinter,
  ) {}

  async change(principal: Principal, identifier: string, action: Exclude<LifecycleAction, 'reissue'>, rawReason?: string): Promise<LicenseRecord> {
    // The reason is shown to whoever reads the license and kept in the audit log: no ID number in it.
    const reason = action === 'reinstate' && rawReason === undefined ? null : maskIdentityNumbersInText(requiredText(rawReason ?? '', REASON_MAX_LENGTH, 'ERR_REASON_REQUIRED'));
    const now = this.clock.now().toISOString();
    return this.store.transaction(async (tx) => {
      const license = assertTransition(principal, await tx.licenses.findByIdentifier(identifier), action);
      const changed = await tx.licenses.changeStatus({ identifier, status: TRANSITIONS[action].to, expectedRevision: license.revision, reason, at: now });
      await tx.audit.append({
        at: now,
        actor: actorOf(principal),
        action: `license.${action}`,
        target: identifier,
        details: {
          from: license.status,
          to: changed.status,
          ...(reason === null ? {} : { reason }),
          ...(this.fingerprinter ? { holderFingerprint: this.fingerprinter.fingerprint({ type: license.holder.type, value: license.holder.number }) } : {}),
          ...(principal.department ? { department: principal.department } : {}),
          outcome: changed.status,
        },
      });
      return changed;
    });
  }
}
