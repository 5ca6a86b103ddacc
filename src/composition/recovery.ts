import { CheckpointDirectory } from '../adapters/recovery/checkpoint-directory.js';
import { RestoreMarkerFile } from '../adapters/recovery/restore-marker-file.js';
import type { Config } from '../config/index.js';
import type { CheckpointSigner } from '../modules/audit/index.js';
import { CheckpointExporter, IssuanceGate, type RecoveryDependencies } from '../modules/recovery/index.js';
import type { VaultStore } from './vault-store.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** The checkpoint archive and restore marker of a configuration, as the vault and the CLI use them. */
export function recoveryDependencies(config: Pick<Config, 'checkpointDir' | 'dataDir'>, store: VaultStore, signer: CheckpointSigner): RecoveryDependencies {
  return { store, signer, archive: new CheckpointDirectory(config.checkpointDir), marker: new RestoreMarkerFile(config.dataDir) };
}

export interface RunningRecovery {
  readonly gate: IssuanceGate;
  /** Stops the periodic checkpoints and takes a last one if the log moved. */
  stop(): Promise<void>;
}

/**
 * Looks at the store against its checkpoints once at start (a restored or
 * older store stops issuance, loudly), then takes a checkpoint every
 * `checkpointSeconds` while the audit log moves.
 */
export async function startRecovery(options: { config: Config; store: VaultStore; signer: CheckpointSigner; clock: Clock; logger: Logger }): Promise<RunningRecovery> {
  const { config, logger, clock } = options;
  const deps = recoveryDependencies(config, options.store, options.signer);
  const gate = new IssuanceGate(deps, clock);
  const exporter = new CheckpointExporter({ ...deps, gate }, clock);
  const state = await gate.state();
  if (!state.open) logger.error('issuance is stopped until an operator runs `license-vault reconcile`', { reason: state.reason, checkpointDir: config.checkpointDir });
  let running: Promise<unknown> = Promise.resolve();
  const exportNow = (): Promise<unknown> =>
    (running = running
      .then(() => exporter.exportIfChanged())
      .catch((error: unknown) => logger.error('could not write an audit checkpoint', { err: error, checkpointDir: config.checkpointDir })));
  await exportNow();
  const timer = setInterval(() => void exportNow(), config.checkpointSeconds * 1000);
  timer.unref();
  return {
    gate,
    stop: async () => {
      clearInterval(timer);
      await exportNow();
    },
  };
}
