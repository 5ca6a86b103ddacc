import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../../shared/errors.js';
import { fsyncPath, integrityProblems } from './file-checks.js';
import { createPrivateFile } from './file-modes.js';
import { SCHEMA_VERSION } from './migrations.js';

/** What a backup or a restore holds: its size and the head of its audit chain. */
export interface SqliteSnapshot {
  readonly pages: number;
  readonly licenses: number;
  readonly auditHead: { readonly seq: number; readonly hash: string } | null;
}

function snapshotOf(db: Database.Database, pages: number): SqliteSnapshot {
  const licenses = (db.prepare('SELECT count(*) AS n FROM licenses').get() as { n: number }).n;
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return { pages, licenses, auditHead: head ?? null };
}

/**
 * An online backup with SQLite's backup API while the vault keeps writing:
 * after the first step, every remaining page is copied in one step, under
 * one read snapshot, so the copy is the database as of one commit. The copy
 * is synced to disk before this returns. `destination` must not exist.
 */
export async function backupSqliteDatabase(source: string, destination: string): Promise<SqliteSnapshot> {
  if (existsSync(destination)) throw new StoreError('ERR_BACKUP_EXISTS', `${destination} already exists: back up to a new file`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  // Owner-only like the database itself: SQLite would create the copy with the umask's mode.
  createPrivateFile(destination);
  try {
    const { totalPages } = await db.backup(destination, { progress: () => 0x7fffffff });
    fsyncPath(destination);
    fsyncPath(dirname(destination));
    const copy = new Database(destination, { readonly: true, fileMustExist: true });
    try {
      return snapshotOf(copy, totalPages);
    } finally {
      copy.close();
    }
  } catch (error) {
    rmSync(destination, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Puts a backup in place as the database file `target`, which must not exist
 * (restore into an empty data directory). The backup must pass SQLite's
 * integrity check and come from this build or an older one. The file is
 * copied next to `target`, synced, then renamed into place.
 */
export async function restoreSqliteDatabase(backup: string, target: string): Promise<SqliteSnapshot> {
  if (existsSync(target)) throw new StoreError('ERR_RESTORE_TARGET_NOT_EMPTY', `${target} exists: restore into an empty data directory`);
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  const partial = `${target}.restoring`;
  try {
    const problems = integrityProblems(source);
    if (problems.length > 0) throw new StoreError('ERR_BACKUP_DAMAGED', `${backup} fails SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`);
    const version = (source.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    if (version > SCHEMA_VERSION) throw new StoreError('ERR_STORE_SCHEMA_TOO_NEW', `${backup} has schema version ${version}, newer than this build (${SCHEMA_VERSION})`);
    rmSync(partial, { force: true });
    createPrivateFile(partial);
    const { totalPages } = await source.backup(partial, { progress: () => 0x7fffffff });
    fsyncPath(partial);
    renameSync(partial, target);
    fsyncPath(dirname(target));
    return snapshotOf(source, totalPages);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}
