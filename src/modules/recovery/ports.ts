import type { VaultCheckpoint } from './vault-checkpoint.js';

/** Where the vault keeps its checkpoints: outside its data directory, so that losing or restoring the data leaves them. */
export interface CheckpointArchive {
  /** Keeps the checkpoint durably; resolves once it is on disk. */
  save(checkpoint: VaultCheckpoint): Promise<void>;
  /** The most recent checkpoints kept, newest (by `at`) first; unreadable files are left out. */
  recent(limit: number): Promise<readonly VaultCheckpoint[]>;
}

/** What `license-vault restore` leaves in the data directory, so the vault knows it runs on a restored copy. */
export interface RestoreNote {
  /** ISO 8601 instant of the restore. */
  readonly restoredAt: string;
  readonly backup: string;
}

export interface RestoreMarker {
  read(): Promise<RestoreNote | null>;
  clear(): Promise<void>;
}
