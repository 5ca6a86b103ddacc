import mongoose from 'mongoose';
import { ConfigError, StoreError, VaultError } from '../../../shared/errors.js';

const { mongo } = mongoose;

/**
 * Unique indexes, named by their key pattern as the server reports it
 * (`keyPattern` fields joined with ", "), mapped to the port's key names.
 * The same names as the SQLite adapter's, so callers never see which store
 * they talk to.
 */
const UNIQUE_KEYS: Readonly<Record<string, string>> = {
  identifier: 'identifier', // licenses, license_files
  sha256: 'sha256',
  'issuer.creditCode, licenseNumber': 'licenseNumber',
  'typeCode, issuer.creditCode, serial, version': 'serial',
  code: 'code',
  creditCode: 'creditCode',
  clientId: 'clientId',
  'scope, key': 'key',
  seq: 'seq',
  hash: 'hash',
  shareId: 'id', // shares
  tokenHash: 'tokenHash', // holder sessions, shares
  _id: 'id', // authorizations
  codeHash: 'codeHash',
  copyId: 'copyId', // copies
};

/** Duplicate key error codes: 11000 (current), 11001 and 12582 (legacy servers). */
const DUPLICATE_KEY_CODES: ReadonlySet<number> = new Set([11000, 11001, 12582]);

/**
 * Server error codes meaning "no usable primary right now": network failures,
 * shutdown, step-down and replica set state changes (the driver's retryable
 * read/write codes), plus write concern failures (majority not reached).
 */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  64, // WriteConcernTimeout (WriteConcernFailed)
  89, // NetworkTimeout
  91, // ShutdownInProgress
  100, // UnsatisfiableWriteConcern
  133, // FailedToSatisfyReadPreference
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Driver errors (no server answer) that mean the store cannot be reached or is closed. */
const UNAVAILABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoNotConnectedError',
  'MongoServerClosedError',
  'MongoPoolClosedError',
  'MongoOperationTimeoutError',
  'MongoExpiredSessionError',
  'MongoWriteConcernError',
]);

/** Node system error codes of name resolution and sockets (e.g. the SRV lookup of a `mongodb+srv://` string). */
const UNAVAILABLE_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESERVFAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** MongoDB "WriteConflict": a concurrent transaction changed the same document. */
const WRITE_CONFLICT = 112;

/** MongoDB "IllegalOperation", which a standalone mongod answers to any transaction. */
const ILLEGAL_OPERATION = 20;

/**
 * Turns a driver or server error into the store error the port promises:
 * duplicate keys into ERR_STORE_DUPLICATE naming the key, unreachable or
 * closed servers into ERR_STORE_UNAVAILABLE, write conflicts that outlived
 * the transaction retries into ERR_STORE_VERSION_CONFLICT, an unparsable
 * connection string or a server without transactions into
 * ERR_CONFIG_INVALID. Vault errors and anything else
 * pass through unchanged. The one place where MongoDB errors are mapped.
 */
export function translateMongoError(error: unknown): unknown {
  if (error instanceof VaultError || !(error instanceof Error)) return error;
  const code = numericCode(error);
  if (code !== undefined && DUPLICATE_KEY_CODES.has(code)) {
    const key = duplicateKeyName(error);
    return new StoreError('ERR_STORE_DUPLICATE', `duplicate ${key}`, { key }, { cause: error });
  }
  // By name: mongodb-connection-string-url throws its own MongoParseError class, not the driver's.
  if (error.name === 'MongoParseError') {
    // The message may quote the connection string, credentials included: keep it out of ours.
    return new ConfigError('ERR_CONFIG_INVALID', 'the MongoDB connection string is invalid', { key: 'uri' }, { cause: error });
  }
  if (code === ILLEGAL_OPERATION && /Transaction numbers are only allowed/i.test(error.message)) {
    return new ConfigError(
      'ERR_CONFIG_INVALID',
      'MongoDB transactions are unavailable: the server must be a replica set member or mongos (a one-node replica set will do)',
      { key: 'uri', reason: 'transactions-unsupported' },
      { cause: error },
    );
  }
  if (isUnavailable(error, code)) {
    const driverCode = driverCodeOf(error);
    return new StoreError('ERR_STORE_UNAVAILABLE', `store unavailable (${driverCode})`, { driverCode }, { cause: error });
  }
  if (code === WRITE_CONFLICT) {
    return new StoreError('ERR_STORE_VERSION_CONFLICT', 'a concurrent transaction changed the same records', { driverCode: 'WriteConflict' }, { cause: error });
  }
  return error;
}

/** Wraps any failure of a liveness probe as ERR_STORE_UNAVAILABLE, keeping an already-translated one. */
export function unavailable(error: unknown): StoreError {
  const translated = translateMongoError(error);
  if (translated instanceof StoreError && translated.code === 'ERR_STORE_UNAVAILABLE') return translated;
  const name = error instanceof Error ? error.name : typeof error;
  return new StoreError('ERR_STORE_UNAVAILABLE', `store unavailable (${name})`, { driverCode: name }, { cause: error });
}

/** Whether the error came from the driver or the server (as opposed to Mongoose casting or our own checks). */
export function isDriverError(error: unknown): error is InstanceType<typeof mongo.MongoError> {
  return error instanceof mongo.MongoError;
}

/**
 * Whether `withTransaction` retries the whole callback for this error
 * (TransientTransactionError: write conflicts, aborted transactions,
 * network errors inside the transaction). Such errors must reach
 * `withTransaction` untranslated.
 */
export function isTransientTransactionError(error: unknown): boolean {
  return isDriverError(error) && error.hasErrorLabel(mongo.MongoErrorLabel.TransientTransactionError);
}

/**
 * Whether an error met inside a transaction attempt should reach
 * `withTransaction` untranslated so that it runs the attempt again:
 * transient errors (write conflicts, elections, dropped connections), but not
 * a server selection timeout, which has already waited the full
 * `serverSelectionTimeoutMS` for a server.
 */
export function shouldRetryTransaction(error: unknown): boolean {
  return isTransientTransactionError(error) && !(error instanceof mongo.MongoServerSelectionError);
}

/** Whether this is a duplicate key error (before translation). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = numericCode(error);
  return code !== undefined && DUPLICATE_KEY_CODES.has(code);
}

function isUnavailable(error: Error, code: number | undefined): boolean {
  if (UNAVAILABLE_ERROR_NAMES.has(error.name)) return true;
  if (error instanceof mongo.MongoNetworkError || error instanceof mongo.MongoServerSelectionError) return true;
  const systemCode: unknown = (error as { code?: unknown }).code;
  if (typeof systemCode === 'string' && UNAVAILABLE_SYSTEM_CODES.has(systemCode)) return true;
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}

/** A short name for logs: the server's code name, a system error code, else the error class. */
function driverCodeOf(error: Error): string {
  if (error instanceof mongo.MongoServerError && typeof error.codeName === 'string') return error.codeName;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

function numericCode(error: Error): number | undefined {
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The port's name of the unique key a duplicate key error is about. */
function duplicateKeyName(error: Error): string {
  const fields = duplicateKeyFields(error);
  if (fields === null) return 'unknown';
  const pattern = fields.join(', ');
  return UNIQUE_KEYS[pattern] ?? pattern;
}

/**
 * The fields of the violated index: from `keyPattern` (servers since 4.4 send
 * it with every duplicate key error), else from `keyValue`, else parsed from
 * the default index name in the message (`index: a_1_b_-1 dup key`).
 */
function duplicateKeyFields(error: Error): string[] | null {
  const sources: unknown[] = [error, (error as { errorResponse?: unknown }).errorResponse];
  const writeErrors: unknown = (error as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) {
    const first: unknown = writeErrors[0];
    sources.push(first, isRecord(first) ? first.err : undefined);
  }
  for (const property of ['keyPattern', 'keyValue'] as const) {
    for (const source of sources) {
      if (!isRecord(source)) continue;
      const value = source[property];
      if (isRecord(value) && Object.keys(value).length > 0) return Object.keys(value);
    }
  }
  const index = /index: (\S+) dup key/.exec(error.message)?.[1];
  if (index === undefined) return null;
  if (index === '_id_') return ['_id'];
  const fields = index.split(/_-?1(?:_|$)/).filter((field) => field.length > 0);
  return fields.length > 0 ? fields : [index];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/**
 * Runs an upsert, recovering from the one duplicate key error an upsert can
 * meet on its own key: a concurrent insert of the same key won the race.
 * Outside a transaction the upsert is run once more (the winner has
 * committed, so it now updates). Inside one, the failed write has aborted
 * the MongoDB transaction: the error is labelled TransientTransactionError so
 * that `withTransaction` runs the whole attempt again, which then sees the
 * winner's document. (Servers since 4.2 already retry such upserts outside
 * transactions, and inside one the race normally shows as a WriteConflict;
 * this covers the remaining cases.)
 */
export async function upsertRacing<T>(inTransaction: boolean, upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (!isDuplicateKeyError(error) || !isDriverError(error)) throw error;
    if (inTransaction) {
      error.addErrorLabel(mongo.MongoErrorLabel.TransientTransactionError);
      throw error;
    }
    return upsert();
  }
}
