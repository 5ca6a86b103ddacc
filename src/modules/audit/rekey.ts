import { ServiceError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { chainAuditEntry, type AuditActor, type AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import { verifyAuditLog } from './audit-verification.js';
import { AUDIT_REKEY_ACTION, LegacyHashes, type AuditRekeyDetails } from './legacy-hashes.js';

export type AuditRekeyStore = UnitOfWork<{ readonly audit: AuditLog }> & { readonly audit: AuditLog };

export interface AuditRekeyOptions {
  /** The new details of an entry, or null to keep them. Pure: called once per entry. */
  readonly rewrite: (entry: AuditEntry) => Record<string, unknown> | null;
  readonly keyId: string;
  readonly actor: AuditActor;
  readonly now: Date;
}

const PAGE = 1000;

/** Whether any entry asks to be rewritten: a plain read, so that a start with nothing to re-key takes no write lock. */
async function anythingToRewrite(log: AuditLog, rewrite: AuditRekeyOptions['rewrite']): Promise<boolean> {
  for (let after = 0; ;) {
    const page = await log.list(after, PAGE);
    if (page.some((entry) => entry.legacyHash === undefined && rewrite(entry) !== null)) return true;
    const last = page.at(-1);
    if (!last || page.length < PAGE) return false;
    after = last.seq;
  }
}

/**
 * Rewrites the details `rewrite` asks for, in one transaction: refuses a
 * chain that is already broken, re-chains every entry from the first one
 * rewritten (each keeps its old hash as `legacyHash`), and appends an
 * `audit.rekey` entry committing to the old hashes. Returns that entry, or
 * null when nothing needed rewriting (a second run changes nothing).
 *
 * @throws ServiceError ERR_AUDIT_CHAIN_BROKEN when the chain fails verification first.
 */
export async function rekeyAuditLog(store: AuditRekeyStore, options: AuditRekeyOptions): Promise<AuditEntry | null> {
  if (!(await anythingToRewrite(store.audit, options.rewrite))) return null;
  return store.transaction(async (tx) => {
    const before = await verifyAuditLog(tx.audit);
    if (!before.ok && before.problem) {
      const { seq, reason } = before.problem;
      throw new ServiceError('ERR_AUDIT_CHAIN_BROKEN', `the audit log fails verification at entry ${seq} (${reason}): it is not re-keyed; investigate it first`, { seq, reason });
    }
    const legacy = new LegacyHashes();
    let previous: AuditEntry | null = null;
    let rewritten = 0;
    for (;;) {
      const page = await tx.audit.list(previous?.seq ?? 0, PAGE);
      const replaced: AuditEntry[] = [];
      for (const entry of page) {
        const details = options.rewrite(entry);
        if (legacy.fromSeq === null && details === null) {
          previous = entry;
          continue;
        }
        // Runs never overlap: each ends with its own audit.rekey entry, after which nothing is unkeyed.
        if (entry.legacyHash !== undefined) throw new Error(`audit entry ${entry.seq} was re-chained before and cannot be again`);
        if (details !== null) rewritten += 1;
        const next: AuditEntry = { ...chainAuditEntry(previous, { ...entry, details: details ?? entry.details }), legacyHash: entry.hash };
        legacy.add(entry.seq, entry.hash);
        replaced.push(next);
        previous = next;
      }
      if (replaced.length > 0) await tx.audit.rechain(replaced);
      if (page.length < PAGE) break;
    }
    const run = legacy.close();
    if (!run) return null;
    const details: AuditRekeyDetails = { ...run, keyId: options.keyId, rewritten };
    return tx.audit.append({ at: options.now.toISOString(), actor: options.actor, action: AUDIT_REKEY_ACTION, target: null, details: { ...details } });
  });
}
