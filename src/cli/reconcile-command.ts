import { parseArgs } from 'node:util';
import { ecdsaCheckpointSigner } from '../adapters/pki/checkpoint-signer.js';
import { loadOrCreateTokenSigningKey } from '../adapters/tokens/signing-key.js';
import { openStore } from '../composition/open-store.js';
import { recoveryDependencies } from '../composition/recovery.js';
import { loadConfig } from '../config/index.js';
import { DEFAULT_RECONCILE_MARGIN, reconcileVault } from '../modules/recovery/index.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const RECONCILE_USAGE = `license-vault reconcile [--margin N] [--without-checkpoint]
    after a restore: moves every serial counter past the newest checkpoint in VAULT_CHECKPOINT_DIR
    and the store, plus N (default ${DEFAULT_RECONCILE_MARGIN}), records it in the audit log and lets issuance resume.`;

/** `license-vault reconcile`: the operator's step between a restore and issuing again. */
export async function runReconcileCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { margin: { type: 'string' }, 'without-checkpoint': { type: 'boolean' } }, strict: true });
  const margin = values.margin === undefined ? DEFAULT_RECONCILE_MARGIN : Number(values.margin);
  if (!Number.isSafeInteger(margin) || margin < 0 || margin > 1_000_000) throw new UsageError('--margin must be a whole number from 0 to 1000000');
  const config = loadConfig(io.env);
  const signer = ecdsaCheckpointSigner(await loadOrCreateTokenSigningKey(config.certsDir));
  const store = await openStore(config);
  try {
    const report = await reconcileVault(recoveryDependencies(config, store, signer), {
      margin,
      actor: { id: 'cli:reconcile', role: 'system' },
      now: io.now(),
      withoutCheckpoint: values['without-checkpoint'] ?? false,
    });
    const { checkpoint } = report;
    io.out(
      checkpoint
        ? `compared with the checkpoint of ${checkpoint.at} (audit entry ${checkpoint.audit.seq}): the store ${report.storeHeldCheckpoint ? 'holds it' : `lacks it (its audit log ends at entry ${report.storeAuditHead})`}\n`
        : "no checkpoint to compare with: counters move past the store's own\n",
    );
    for (const skip of report.raised) io.out(`  counter ${skip.scope} of ${skip.issuerCreditCode}: numbers ${skip.from}–${skip.through} skipped\n`);
    io.out(
      `reconciled: ${report.raised.length} counters moved (margin ${margin}), recorded in the audit log; new checkpoint at audit entry ${report.newCheckpoint.audit.seq}. Issuance may resume.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
