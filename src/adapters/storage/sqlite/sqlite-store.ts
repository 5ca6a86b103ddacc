import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, fdatasync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Repositories, VaultStore } from '../../../composition/vault-store.js';
import { StoreError } from '../../../shared/errors.js';
import { SqliteAuditLog } from './audit-log.js';
import { SqliteAuthorizationRepository } from './authorization-repository.js';
import { sqliteAccounts, sqliteDepartments } from './configuration-repositories.js';
import { translated, type SqliteConnection } from './connection.js';
import { fsyncPath, integrityProblems } from './file-checks.js';
import { makePrivateDatabaseFile, makePrivateDirectory } from './file-modes.js';
import { SqliteHolderSessionRepository } from './holder-session-repository.js';
import { SqliteCopyRepository } from './copy-repository.js';
import { SqliteIdempotencyRepository } from './idempotency-repository.js';
import { SqliteLicenseFileRepository } from './license-file-repository.js';
import { SqliteLicenseRepository } from './license-repository.js';
import { SqliteVerificationCountRepository } from './verification-count-repository.js';
import { SqliteShareRepository } from './share-repository.js';
import { SqliteSignInFailureRepository, SqliteStaffSessionRepository } from './staff-repositories.js';
import { migrate } from './migrations.js';
import { GroupCommit } from './group-commit.js';

export interface SqliteStoreOptions {
  /** Database file; it and its directory are created owner-only (0600, 0700) if missing, and an existing file is made 0600. */
  readonly file: string;
  /** How long a writer waits for another process's lock, in ms. */
  readonly busyTimeoutMs?: number;
}

function repositories(connection: SqliteConnection): Repositories {
  return {
    licenses: new SqliteLicenseRepository(connection),
    licenseFiles: new SqliteLicenseFileRepository(connection),
    departments: sqliteDepartments(connection),
    accounts: sqliteAccounts(connection),
    idempotency: new SqliteIdempotencyRepository(connection),
    audit: new SqliteAuditLog(connection),
    verificationCounts: new SqliteVerificationCountRepository(connection),
    holderSessions: new SqliteHolderSessionRepository(connection),
    staffSessions: new SqliteStaffSessionRepository(connection),
    staffSignInFailures: new SqliteSignInFailureRepository(connection),
    shares: new SqliteShareRepository(connection),
    authorizations: new SqliteAuthorizationRepository(connection),
    copies: new SqliteCopyRepository(connection),
  };
}

/** The embedded store, with a view of the engine settings it runs with. */
export interface SqliteVaultStore extends VaultStore {
  readonly file: string;
  /** The writer connection's settings, as SQLite reports them. */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; walSyncedBeforeAnswer: boolean; foreignKeys: boolean };
}

const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
const fdatasyncAsync = promisify(fdatasync);

/**
 * The WAL file's descriptor, open for as long as the writer connection is
 * (SQLite deletes the WAL only when its last connection closes), and its
 * directory entry synced once.
 */
function openWal(databaseFile: string): number {
  fsyncPath(dirname(databaseFile));
  return openSync(`${databaseFile}-wal`, 'r');
}

/**
 * Opens (creating and migrating if needed) the embedded store. In WAL mode a
 * commit is made durable by an fdatasync of the WAL on libuv's thread pool
 * before any caller is answered (synchronous=NORMAL still syncs around every
 * checkpoint), so an answered write survives power loss without the event
 * loop waiting for the disk. Where WAL is unavailable, synchronous=FULL.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteVaultStore {
  makePrivateDirectory(dirname(options.file));
  makePrivateDatabaseFile(options.file);
  const busyTimeout = options.busyTimeoutMs ?? 5000;
  const writer = new Database(options.file);
  const wal = String(writer.pragma('journal_mode = WAL', { simple: true })) === 'wal';
  writer.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  // What an update or delete leaves behind in a page it writes anyway is zeroed: a re-keyed audit entry (ADR 0010) leaves no old fingerprint in the file.
  writer.pragma('secure_delete = FAST');
  writer.pragma(`busy_timeout = ${busyTimeout}`);
  migrate(writer);
  const reader = new Database(options.file, { readonly: true, fileMustExist: true });
  reader.pragma(`busy_timeout = ${busyTimeout}`);

  const walDescriptor = wal ? openWal(options.file) : null;
  const commits = new GroupCommit(writer, walDescriptor === null ? {} : { makeDurable: () => fdatasyncAsync(walDescriptor) });
  const insideTransaction = new AsyncLocalStorage<true>();
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'store is closed');
  };

  const standalone: SqliteConnection = {
    read: async (work) => {
      ensureOpen();
      return translated(() => work(reader));
    },
    write: (work) => {
      if (insideTransaction.getStore()) {
        throw new TypeError('use the repositories passed to transaction() inside a transaction');
      }
      ensureOpen();
      return commits.run(() => work(writer));
    },
  };
  const inTransaction: SqliteConnection = {
    read: async (work) => translated(() => work(writer)),
    write: async (work) => translated(() => work(writer)),
  };
  const transactional = repositories(inTransaction);

  return {
    kind: 'sqlite',
    file: options.file,
    settings: () => {
      ensureOpen();
      return {
        journalMode: String(writer.pragma('journal_mode', { simple: true })),
        synchronous: SYNCHRONOUS_NAMES[Number(writer.pragma('synchronous', { simple: true }))] ?? 'OFF',
        walSyncedBeforeAnswer: walDescriptor !== null,
        foreignKeys: writer.pragma('foreign_keys', { simple: true }) === 1,
      };
    },
    ...repositories(standalone),
    transaction: async (work) => {
      ensureOpen();
      return commits.run(() => insideTransaction.run(true, () => work(transactional)));
    },
    ping: async () => {
      ensureOpen();
      if (commits.failure) throw commits.failure;
      translated(() => reader.prepare('SELECT 1').get());
    },
    checkIntegrity: async () => {
      ensureOpen();
      return translated(() => integrityProblems(reader));
    },
    close: async () => {
      if (closed) return;
      await commits.idle();
      closed = true;
      reader.close();
      writer.close();
      if (walDescriptor !== null) closeSync(walDescriptor);
    },
  };
}
