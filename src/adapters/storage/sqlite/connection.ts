import type { Database, Statement } from 'better-sqlite3';
import { StoreError } from '../../../shared/errors.js';

/**
 * How a repository reaches SQLite. Outside a transaction every `write` is its
 * own immediate transaction, queued behind the write lock, and reads use a
 * separate read-only connection that sees committed data only. Inside a
 * transaction both go straight to the writer, which already holds the lock.
 */
export interface SqliteConnection {
  read<T>(work: (db: Database) => T): Promise<T>;
  write<T>(work: (db: Database) => T): Promise<T>;
}

/** Prepared once per connection and SQL text, then reused. */
const statementCache = new WeakMap<Database, Map<string, Statement>>();

export function statement(db: Database, sql: string): Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** Unique indexes, named by the columns SQLite reports, mapped to the port's key names. */
const UNIQUE_KEYS: Readonly<Record<string, string>> = {
  'licenses.identifier': 'identifier',
  'licenses.sha256': 'sha256',
  'licenses.issuer_credit_code, licenses.license_number': 'licenseNumber',
  'licenses.type_code, licenses.issuer_credit_code, licenses.serial, licenses.version': 'serial',
  'license_files.identifier': 'identifier',
  'departments.credit_code': 'creditCode',
  'accounts.client_id': 'clientId',
  'idempotency_keys.scope, idempotency_keys.key': 'key',
  'audit_log.seq': 'seq',
  'copies.copy_id': 'copyId',
  'copies.sha256': 'sha256',
  'audit_log.hash': 'hash',
  'holder_sessions.token_hash': 'tokenHash',
  'staff_sessions.token_hash': 'tokenHash',
  'shares.id': 'id',
  'shares.token_hash': 'tokenHash',
  'authorizations.id': 'id',
  'authorizations.code_hash': 'codeHash',
};

/** Turns a constraint violation into ERR_STORE_DUPLICATE naming the key; anything else passes through. */
export function translateSqliteError(error: unknown): unknown {
  // Duck-typed: the native addon keeps the SqliteError class of the realm that loaded it first,
  // so `instanceof Error` is not reliable across realms (jest gives each test file its own).
  if (typeof error !== 'object' || error === null || !('code' in error) || typeof error.code !== 'string' || !('message' in error) || typeof error.message !== 'string') {
    return error;
  }
  const code = error.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const columns = error.message.replace(/^UNIQUE constraint failed: /, '');
    const key = UNIQUE_KEYS[columns] ?? columns;
    return new StoreError('ERR_STORE_DUPLICATE', `duplicate ${key}`, { key }, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_') || code === 'SQLITE_FULL' || code === 'SQLITE_READONLY') {
    return new StoreError('ERR_STORE_UNAVAILABLE', `store unavailable (${code})`, { driverCode: code }, { cause: error });
  }
  return error;
}

/**
 * Keys reach SQL only as bound strings. better-sqlite3 would spread an array
 * into several parameters and refuse an object only when binding, so anything
 * else is refused here, before a statement runs.
 */
export function requireText(...values: readonly unknown[]): void {
  for (const value of values) if (typeof value !== 'string') throw new TypeError('store keys must be strings');
}

/** Runs `work`, rethrowing driver errors as store errors. */
export function translated<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translateSqliteError(error);
  }
}
