import { rekeyAuditLog, type AuditEntry } from '../modules/audit/index.js';
import { SYSTEM_ACTOR } from '../modules/auth/index.js';
import { rekeyedHolderDetails, type HolderFingerprinter } from '../modules/licenses/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { VaultStore } from './vault-store.js';

/**
 * At start, after the store opens and the fingerprint key is loaded: turns
 * any unkeyed holder fingerprint left in the audit log (written before
 * issue 15, or by an older node) into the keyed one and re-chains the log,
 * committing to the old hashes (ADR 0010). Nothing to do → nothing written.
 *
 * @throws ServiceError ERR_AUDIT_CHAIN_BROKEN when the log fails verification first: the vault does not start.
 */
export async function rekeyAuditFingerprints(options: {
  readonly store: Pick<VaultStore, 'transaction' | 'audit'>;
  readonly fingerprinter: HolderFingerprinter;
  readonly clock: Clock;
  readonly logger?: Logger;
}): Promise<AuditEntry | null> {
  const { fingerprinter } = options;
  const entry = await rekeyAuditLog(options.store, {
    rewrite: (candidate) => rekeyedHolderDetails(candidate.details, fingerprinter),
    keyId: fingerprinter.keyId,
    actor: SYSTEM_ACTOR,
    now: options.clock.now(),
  });
  if (entry) options.logger?.warn('re-keyed the holder fingerprints of the audit log (ADR 0010)', { seq: entry.seq, ...entry.details });
  return entry;
}
