export { CheckpointExporter } from './checkpoint-exporter.js';
export { evaluateIssuanceGate, IssuanceGate, latestAuthenticCheckpoint, type GateState, type RecoveryDependencies, type RecoveryStore } from './issuance-gate.js';
export type { CheckpointArchive, RestoreMarker, RestoreNote } from './ports.js';
export { DEFAULT_RECONCILE_MARGIN, RECONCILE_ACTION, reconcileVault, type ReconcileOptions, type ReconcileReport } from './reconcile.js';
export { isAuthenticCheckpoint, storeHoldsCheckpoint, takeVaultCheckpoint, VAULT_CHECKPOINT_FORMAT, type RecoveryRepositories, type VaultCheckpoint } from './vault-checkpoint.js';
