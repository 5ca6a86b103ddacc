import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupSqliteDatabase, restoreSqliteDatabase, type SqliteSnapshot } from '../adapters/storage/sqlite/backup.js';
import { makePrivateDirectory } from '../adapters/storage/sqlite/file-modes.js';
import { RestoreMarkerFile } from '../adapters/recovery/restore-marker-file.js';
import { loadConfig } from '../config/index.js';
import { StoreError } from '../shared/errors.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const BACKUP_USAGE = `license-vault backup DEST.db      online, consistent copy of the embedded store while the vault runs
license-vault restore BACKUP.db   put a backup in place in an empty VAULT_DATA_DIR; run fsck and reconcile next
    The keys under VAULT_CERTS_DIR are not in the backup: keep them (or the HSM) safe on their own.
    On MongoDB use the replica set's own tools (docs/operations.md).`;

function summary(verb: string, file: string, snapshot: SqliteSnapshot): string {
  const head = snapshot.auditHead ? `audit head seq ${snapshot.auditHead.seq} ${snapshot.auditHead.hash}` : 'empty audit log';
  return `${verb} ${file}: ${snapshot.licenses} licenses, ${snapshot.pages} pages, ${head}\n`;
}

/** `license-vault backup DEST` and `license-vault restore BACKUP` for the embedded store. */
export async function runBackupCommand(command: 'backup' | 'restore', args: readonly string[], io: CommandIo): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], options: {}, allowPositionals: true, strict: true });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError(`${command} needs exactly one file`);
  const config = loadConfig(io.env);
  if (config.store.kind !== 'sqlite') throw new UsageError(`${command} copies the embedded store; on MongoDB use the replica set's own backup (docs/operations.md)`);
  if (command === 'backup') {
    io.out(summary('backed up to', resolve(file), await backupSqliteDatabase(config.store.file, resolve(file))));
    return 0;
  }
  if (existsSync(config.store.file)) throw new StoreError('ERR_RESTORE_TARGET_NOT_EMPTY', `${config.store.file} exists: restore into an empty data directory`);
  makePrivateDirectory(config.dataDir);
  // Marked before the database is in place: a restore cut short leaves a marked directory, never an unmarked copy.
  const marker = new RestoreMarkerFile(config.dataDir);
  await marker.write({ restoredAt: io.now().toISOString(), backup: resolve(file) });
  let restored: SqliteSnapshot;
  try {
    restored = await restoreSqliteDatabase(resolve(file), config.store.file);
  } catch (error) {
    await marker.clear();
    throw error;
  }
  io.out(summary('restored from', resolve(file), restored));
  io.out(`next: license-vault fsck, then license-vault reconcile before issuing (data directory ${config.dataDir})\n`);
  return 0;
}
