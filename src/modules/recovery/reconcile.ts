import type { AuditActor } from '../audit/index.js';
import { raiseCounterAudited, type SkippedSerials } from '../licenses/index.js';
import { ServiceError } from '../../shared/errors.js';
import { latestAuthenticCheckpoint, type RecoveryDependencies } from './issuance-gate.js';
import { storeHoldsCheckpoint, takeVaultCheckpoint, type VaultCheckpoint } from './vault-checkpoint.js';

export const RECONCILE_ACTION = 'vault.reconcile';

/** Numbers skipped past the checkpoint when none is given: more than a vault issues between two checkpoints. */
export const DEFAULT_RECONCILE_MARGIN = 1000;

export interface ReconcileOptions {
  /** How far past the highest number known each counter moves: the serials a lost copy may have handed out after the checkpoint. */
  readonly margin: number;
  readonly actor: AuditActor;
  readonly now: Date;
  /** Go on when the archive holds checkpoints but none this vault's key signed (the key was replaced): only the store's counters are then known. */
  readonly withoutCheckpoint?: boolean;
}

export interface ReconcileReport {
  /** The checkpoint compared with, or null when the archive holds none this vault signed. */
  readonly checkpoint: Pick<VaultCheckpoint, 'at' | 'audit'> | null;
  /** Whether the store held the checkpoint's audit head. */
  readonly storeHeldCheckpoint: boolean;
  readonly storeAuditHead: number;
  readonly raised: readonly SkippedSerials[];
  /** The checkpoint taken after reconciling; issuance is open again. */
  readonly newCheckpoint: VaultCheckpoint;
}

/**
 * `license-vault reconcile`: after a restore, moves every counter past the
 * highest number the store or the newest checkpoint knows, plus `margin`,
 * recording each skip and the reconcile itself in the audit log in one
 * transaction; then clears the restore marker and takes a new checkpoint, so
 * issuance can resume and no serial a lost copy handed out comes back.
 */
export async function reconcileVault(deps: RecoveryDependencies, options: ReconcileOptions): Promise<ReconcileReport> {
  if (!Number.isSafeInteger(options.margin) || options.margin < 0) throw new TypeError('the margin must be a whole number of 0 or more');
  const { store } = deps;
  const { checkpoint, archived } = await latestAuthenticCheckpoint(deps);
  if (!checkpoint && archived > 0 && !options.withoutCheckpoint) {
    throw new ServiceError(
      'ERR_CHECKPOINT_UNVERIFIABLE',
      `the checkpoint archive holds ${archived} checkpoints, none signed by this vault's key ${deps.signer.keyId}: restore the key, or reconcile without a checkpoint`,
      { archived },
    );
  }
  const held = checkpoint ? await storeHoldsCheckpoint(store, checkpoint) : true;
  const storeAuditHead = (await store.audit.last())?.seq ?? 0;
  const highest = new Map<string, { scope: string; issuerCreditCode: string; last: number }>();
  for (const counter of [...(checkpoint?.counters ?? []), ...(await store.licenses.serialLedger()).counters]) {
    const key = `${counter.scope}|${counter.issuerCreditCode}`;
    if (counter.last > (highest.get(key)?.last ?? -1)) highest.set(key, counter);
  }
  const at = options.now.toISOString();
  const note = checkpoint ? `checkpoint of ${checkpoint.at} (audit entry ${checkpoint.audit.seq}), margin ${options.margin}` : `no checkpoint, margin ${options.margin}`;
  const raised = await store.transaction(async (tx) => {
    const skipped: SkippedSerials[] = [];
    for (const counter of highest.values()) {
      const through = counter.last + options.margin;
      if (through < 1) continue;
      const skip = await raiseCounterAudited(
        tx,
        { scope: counter.scope, issuerCreditCode: counter.issuerCreditCode, through },
        { actor: options.actor, at, reason: 'reconcile', note },
      );
      if (skip) skipped.push(skip);
    }
    await tx.audit.append({
      at,
      actor: options.actor,
      action: RECONCILE_ACTION,
      target: null,
      details: {
        checkpoint: checkpoint ? { at: checkpoint.at, seq: checkpoint.audit.seq, hash: checkpoint.audit.hash } : null,
        storeHeldCheckpoint: held,
        storeAuditHead,
        margin: options.margin,
        countersRaised: skipped.length,
      },
    });
    return skipped;
  });
  await deps.marker.clear();
  const newCheckpoint = await takeVaultCheckpoint(store, deps.signer, options.now);
  await deps.archive.save(newCheckpoint);
  return { checkpoint: checkpoint && { at: checkpoint.at, audit: checkpoint.audit }, storeHeldCheckpoint: held, storeAuditHead, raised, newCheckpoint };
}
