import { closeSync, fsyncSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** fsync of a file or directory by path: its data, or a directory's entries, reach the disk. */
export function fsyncPath(path: string): void {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** What SQLite's integrity check finds wrong, nothing when sound; a file too damaged to check (or no database at all) says so. */
export function integrityProblems(db: Database.Database): string[] {
  try {
    return (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((row) => row.integrity_check).filter((line) => line !== 'ok');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return [`${code}: ${(error as Error).message}`];
    throw error;
  }
}
