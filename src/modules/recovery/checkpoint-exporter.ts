import type { Clock } from '../../shared/clock.js';
import type { IssuanceGate, RecoveryDependencies } from './issuance-gate.js';
import { takeVaultCheckpoint } from './vault-checkpoint.js';

/**
 * Takes a checkpoint when the audit log has moved since the last one, and
 * keeps it in the archive. Nothing is exported while issuance is stopped: a
 * checkpoint of a restored, unreconciled store would hide what it lost.
 */
export class CheckpointExporter {
  #lastSeq = -1;

  constructor(
    private readonly deps: RecoveryDependencies & { readonly gate: IssuanceGate },
    private readonly clock: Clock,
  ) {}

  /** Resolves true when a checkpoint was written. */
  async exportIfChanged(): Promise<boolean> {
    if (!(await this.deps.gate.state()).open) return false;
    const head = (await this.deps.store.audit.last())?.seq ?? 0;
    if (head === this.#lastSeq) return false;
    const checkpoint = await takeVaultCheckpoint(this.deps.store, this.deps.signer, this.clock.now());
    await this.deps.archive.save(checkpoint);
    this.#lastSeq = checkpoint.audit.seq;
    return true;
  }
}
