import type { CheckpointSigner } from '../audit/index.js';
import type { Clock } from '../../shared/clock.js';
import { ServiceError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { CheckpointArchive, RestoreMarker } from './ports.js';
import { isAuthenticCheckpoint, storeHoldsCheckpoint, type RecoveryRepositories, type VaultCheckpoint } from './vault-checkpoint.js';

export type GateState = { readonly open: true } | { readonly open: false; readonly reason: string };

export type RecoveryStore = UnitOfWork<RecoveryRepositories> & RecoveryRepositories;

export interface RecoveryDependencies {
  readonly store: RecoveryStore;
  readonly archive: CheckpointArchive;
  readonly marker: RestoreMarker;
  readonly signer: CheckpointSigner;
}

/** How many of the newest checkpoint files are tried before giving up on finding one this vault signed. */
const CANDIDATES = 20;

/** The newest checkpoints in the archive, and the newest of them this vault's key signed (null when none is). */
export async function latestAuthenticCheckpoint(deps: Pick<RecoveryDependencies, 'archive' | 'signer'>): Promise<{ checkpoint: VaultCheckpoint | null; archived: number }> {
  const recent = await deps.archive.recent(CANDIDATES);
  for (const checkpoint of recent) {
    if (await isAuthenticCheckpoint(checkpoint, deps.signer)) return { checkpoint, archived: recent.length };
  }
  return { checkpoint: null, archived: recent.length };
}

/**
 * Whether this store may hand out serials: not when it was restored from a
 * backup, nor when it lacks the audit head of the newest checkpoint (an older
 * copy put back by other means), nor when no checkpoint can be checked, until an operator runs `license-vault
 * reconcile`. A store in that state has lost whatever was issued after its
 * copy was taken, and its counters would hand those serials out again.
 */
export async function evaluateIssuanceGate(deps: RecoveryDependencies): Promise<GateState> {
  const note = await deps.marker.read();
  if (note) return { open: false, reason: `the store was restored from ${note.backup} at ${note.restoredAt}` };
  const { checkpoint, archived } = await latestAuthenticCheckpoint(deps);
  if (!checkpoint && archived > 0)
    return { open: false, reason: `none of the ${archived} newest checkpoints was signed by this vault's key ${deps.signer.keyId} (was the key replaced?)` };
  if (!checkpoint || (await storeHoldsCheckpoint(deps.store, checkpoint))) return { open: true };
  const head = (await deps.store.audit.last())?.seq ?? 0;
  return {
    open: false,
    reason: `the store's audit log (last entry ${head}) lacks entry ${checkpoint.audit.seq} of the checkpoint taken at ${checkpoint.at}: it is an older or different copy`,
  };
}

/** While closed, the state is looked at again at most this often, so a reconcile run beside a live vault opens it. */
const RECHECK_MS = 1000;

/** {@link evaluateIssuanceGate} for each issuance, cached: once open it stays open for the life of the process. */
export class IssuanceGate {
  #open = false;
  #pending: Promise<GateState> | null = null;
  #checkedAt = 0;

  constructor(
    private readonly deps: RecoveryDependencies,
    private readonly clock: Clock,
  ) {}

  state(): Promise<GateState> {
    if (this.#open) return Promise.resolve({ open: true });
    const now = this.clock.now().getTime();
    if (this.#pending === null || now - this.#checkedAt >= RECHECK_MS) {
      this.#checkedAt = now;
      this.#pending = evaluateIssuanceGate(this.deps).then(
        (state) => {
          if (state.open) this.#open = true;
          return state;
        },
        (error: unknown) => {
          this.#pending = null;
          throw error;
        },
      );
    }
    return this.#pending;
  }

  /** @throws ServiceError ERR_RECONCILE_REQUIRED while closed. */
  async assertOpen(): Promise<void> {
    const state = await this.state();
    if (!state.open) throw new ServiceError('ERR_RECONCILE_REQUIRED', `issuance is stopped: ${state.reason}; run \`license-vault reconcile\``);
  }
}
