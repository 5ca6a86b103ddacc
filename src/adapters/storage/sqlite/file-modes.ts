import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/*
 * The database, its WAL and its backups hold ID numbers, secret hashes and
 * the signed files: owner-only, whatever the umask the vault was started with.
 */
export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The files SQLite keeps beside a database; it creates them with the database file's mode. */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/**
 * Creates `dir` and any missing parents owner-only (0700) whatever the umask.
 * A directory that already exists keeps the mode its owner gave it: it may be
 * a mount point or shared, and it is not the vault's to change.
 */
export function makePrivateDirectory(dir: string): void {
  const target = resolve(dir);
  const firstCreated = mkdirSync(target, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (firstCreated === undefined) return;
  for (let path = target; ; path = dirname(path)) {
    chmodSync(path, PRIVATE_DIRECTORY_MODE);
    if (path === resolve(firstCreated) || path === dirname(path)) break;
  }
}

/**
 * Makes a database file owner-only (0600) before SQLite opens it: creates it
 * empty if missing, and tightens it and its WAL, shared-memory and journal
 * files if they exist with a looser mode (from an older vault or another umask).
 */
export function makePrivateDatabaseFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const path of [file, ...COMPANION_SUFFIXES.map((suffix) => `${file}${suffix}`)]) {
    try {
      chmodSync(path, PRIVATE_FILE_MODE);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
}

/** Creates `file` empty and owner-only; fails if it exists (EEXIST), so nothing is written over. */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}
