import type { AuditActor, AuditEntry, AuditLog } from '../audit/index.js';
import type { LicenseRepository, SkippedSerials } from './repository.js';

/** The audit action that explains numbers a counter passed over. */
export const SERIAL_SKIP_ACTION = 'serial.skip';

/** Why a counter was moved forward: imported licenses hold its numbers, or a restore may have lost what it handed out. */
export type SerialSkipReason = 'import' | 'reconcile';

/**
 * Raises a counter to `through` and, when that skipped numbers, records them
 * in the audit log in the same transaction, so that `fsck` can tell the gap
 * from a lost license.
 */
export async function raiseCounterAudited(
  tx: { readonly licenses: LicenseRepository; readonly audit: AuditLog },
  counter: { readonly scope: string; readonly issuerCreditCode: string; readonly through: number },
  cause: { readonly actor: AuditActor; readonly at: string; readonly reason: SerialSkipReason; readonly note?: string },
): Promise<SkippedSerials | null> {
  const skipped = await tx.licenses.raiseCounter(counter.scope, counter.issuerCreditCode, counter.through);
  if (!skipped) return null;
  await tx.audit.append({
    at: cause.at,
    actor: cause.actor,
    action: SERIAL_SKIP_ACTION,
    target: `${skipped.scope}|${skipped.issuerCreditCode}`,
    details: {
      scope: skipped.scope,
      issuerCreditCode: skipped.issuerCreditCode,
      from: skipped.from,
      through: skipped.through,
      reason: cause.reason,
      ...(cause.note ? { note: cause.note } : {}),
    },
  });
  return skipped;
}

/** The numbers a `serial.skip` entry explains, or null for any other entry. */
export function skippedSerialsOf(entry: AuditEntry): SkippedSerials | null {
  if (entry.action !== SERIAL_SKIP_ACTION) return null;
  const { scope, issuerCreditCode, from, through } = entry.details;
  if (typeof scope !== 'string' || typeof issuerCreditCode !== 'string' || !Number.isSafeInteger(from) || !Number.isSafeInteger(through)) return null;
  return { scope, issuerCreditCode, from: from as number, through: through as number };
}
