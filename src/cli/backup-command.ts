import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupSqliteDatabase, restoreSqliteDatabase, type SqliteSnapshot } from '../adapters/storage/sqlite/backup.js';
import { loadConfig } from '../config/index.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const BACKUP_USAGE = `license-vault backup DEST.db      online, consistent copy of the embedded store while the vault runs
license-vault restore BACKUP.db   put a backup in place in an empty VAULT_DATA_DIR; run fsck next
    The keys under VAULT_CERTS_DIR are not in the backup: keep them (or the HSM) safe on their own.
    On MongoDB use the replica set's own tools (README, Storage).`;

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
  if (config.store.kind !== 'sqlite') throw new UsageError(`${command} copies the embedded store; on MongoDB use the replica set's own backup (README, Storage)`);
  if (command === 'backup') {
    io.out(summary('backed up to', resolve(file), await backupSqliteDatabase(config.store.file, resolve(file))));
    return 0;
  }
  mkdirSync(config.dataDir, { recursive: true });
  io.out(summary('restored from', resolve(file), await restoreSqliteDatabase(resolve(file), config.store.file)));
  io.out(`next: license-vault fsck (data directory ${config.dataDir})\n`);
  return 0;
}
