/**
 * The MongoDB store: the vault's persistence port on MongoDB through
 * Mongoose, with the same semantics as the SQLite store.
 *
 * TRANSACTIONS NEED A REPLICA SET. `VaultStore.transaction` and every audit
 * append run in MongoDB multi-document transactions, which a standalone
 * mongod rejects ("Transaction numbers are only allowed on a replica set
 * member or mongos"); opening the store checks this and fails with
 * ERR_CONFIG_INVALID. A one-node replica set is enough for development:
 *
 *     mongod --replSet rs0 --dbpath ./data/mongo --bind_ip localhost --port 27017
 *     mongosh --eval 'rs.initiate()'
 *     MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0'
 *
 * (With Docker: `docker run -d -p 27017:27017 mongo:8 --replSet rs0`, then
 * `docker exec <container> mongosh --eval 'rs.initiate()'`, and connect with
 * `mongodb://localhost:27017/?directConnection=true`.)
 *
 * Design:
 * - A dedicated Mongoose instance and connection, never the global default
 *   one: `strictQuery: 'throw'` and `strict: 'throw'` (a filter or write on
 *   a path the schema does not declare is an error, not silently dropped)
 *   and `sanitizeFilter: true` (an object with `$` keys where a value is
 *   expected is wrapped in `$eq`) apply to this store's models only. The
 *   operators the repositories write themselves are marked `trusted`.
 * - `autoIndex`/`autoCreate` are off; the open creates every collection and
 *   index explicitly and waits for them, so both exist before first use.
 * - A database of an older layout is brought up to date at open by
 *   idempotent steps (`migrations.ts`) before collections are prepared.
 * - Writes use write concern majority; transactions read concern majority.
 * - Repositories use lean queries and map documents to plain port records
 *   field by field; nothing Mongoose-specific (`_id`, documents, Binary,
 *   Date) reaches the caller.
 * - Driver errors are translated in one place (`errors.ts`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import type { Repositories, VaultStore } from '../../../composition/vault-store.js';
import { StoreError } from '../../../shared/errors.js';
import { initialiseAuditHead, MongoAuditLog } from './audit-log.js';
import { mongoAccounts, mongoDepartments } from './configuration-repositories.js';
import { translateMongoError, unavailable } from './errors.js';
import { MongoHolderSessionRepository } from './holder-session-repository.js';
import { MongoAuthorizationRepository } from './authorization-repository.js';
import { MongoCopyRepository } from './copy-repository.js';
import { MongoIdempotencyRepository } from './idempotency-repository.js';
import { MongoLicenseFileRepository } from './license-file-repository.js';
import { MongoLicenseRepository } from './license-repository.js';
import { MongoVerificationCountRepository } from './verification-count-repository.js';
import { MongoShareRepository } from './share-repository.js';
import { MongoSignInFailureRepository, MongoStaffSessionRepository } from './staff-repositories.js';
import { migrateCollections } from './migrations.js';
import { defineModels, prepareCollections, type MetaDocument, type MongoModels } from './models.js';
import { runTransaction, StandaloneScope, TransactionScope, type MongoScope, type StoreLifecycle } from './scope.js';

export interface MongoStoreOptions {
  /** MongoDB connection string (`mongodb://` or `mongodb+srv://`). */
  readonly uri: string;
  /** Database name; defaults to the one in the connection string, else `license_vault`. */
  readonly dbName?: string;
  /** How long an operation waits for a usable server before ERR_STORE_UNAVAILABLE, in ms (default 10 000). */
  readonly serverSelectionTimeoutMS?: number;
}

/** The newest database layout this build knows (collections and indexes). 2: serial reservations. 3: counters keyed by scope, no license types. 4: every department names its signing key. 5: no `admin` role (its accounts are system administrators). 6: audit entries may keep a legacyHash (ADR 0010; nothing to convert). 7: authorizations (a new collection, as holder sessions; nothing to convert). 8: audit entries carry an indexed holderFingerprint (back-filled); verification counts. 9: annotated copies (a new collection; nothing to convert). 10: staff sessions and failed staff sign-ins (new collections; nothing to convert). */
export const MONGO_SCHEMA_VERSION = 10;

const DEFAULT_DATABASE = 'license_vault';
const SCHEMA_META_ID = 'schema';

function repositories(scope: MongoScope): Repositories {
  return {
    licenses: new MongoLicenseRepository(scope),
    licenseFiles: new MongoLicenseFileRepository(scope),
    departments: mongoDepartments(scope),
    accounts: mongoAccounts(scope),
    idempotency: new MongoIdempotencyRepository(scope),
    holderSessions: new MongoHolderSessionRepository(scope),
    staffSessions: new MongoStaffSessionRepository(scope),
    staffSignInFailures: new MongoSignInFailureRepository(scope),
    shares: new MongoShareRepository(scope),
    copies: new MongoCopyRepository(scope),
    audit: new MongoAuditLog(scope),
    verificationCounts: new MongoVerificationCountRepository(scope),
    authorizations: new MongoAuthorizationRepository(scope),
  };
}

/** The database named in the connection string's path, if any. */
function databaseInUri(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/i.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/**
 * Connects, checks that the server supports transactions and that the
 * database is not from a newer build, creates collections and indexes, and
 * returns the store. Fails with ERR_STORE_UNAVAILABLE when no server answers
 * within `serverSelectionTimeoutMS`, ERR_CONFIG_INVALID for a bad connection
 * string or a server without transactions, ERR_STORE_SCHEMA_TOO_NEW for a
 * database written by a newer build.
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<VaultStore> {
  if (typeof options.uri !== 'string' || options.uri.length === 0) throw new TypeError('uri must be a non-empty string');
  const connectOptions: ConnectOptions = {
    dbName: options.dbName ?? databaseInUri(options.uri) ?? DEFAULT_DATABASE,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    appName: 'license-vault',
    // Connection-level Mongoose options (kept in connection.config).
    sanitizeFilter: true,
    autoIndex: false,
    autoCreate: false,
    // Fail at once instead of queueing operations while disconnected; the driver still waits
    // up to serverSelectionTimeoutMS for a server and reconnects by itself.
    bufferCommands: false,
    // Driver options.
    writeConcern: { w: 'majority' },
    readPreference: 'primary',
    retryWrites: true,
    retryReads: true,
    // Undefined members are left out, as JSON.stringify does (and as the SQLite store stores them).
    ignoreUndefined: true,
  };
  // A Mongoose instance of our own: its options, models and connection list are not the global ones.
  const odm = new mongoose.Mongoose({
    createInitialConnection: false,
    strict: 'throw',
    strictQuery: 'throw',
    sanitizeFilter: true,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  });

  let connection: Connection;
  try {
    connection = odm.createConnection(options.uri, connectOptions);
  } catch (error) {
    throw translateMongoError(error);
  }
  try {
    await connection.asPromise();
    const models = defineModels(odm, connection);
    const storedVersion = await checkSchemaVersion(connection, models);
    await migrateCollections(connection, models, storedVersion);
    await prepareCollections(models);
    await models.meta.updateOne({ _id: SCHEMA_META_ID }, { $max: { version: MONGO_SCHEMA_VERSION } }, { upsert: true }).exec();
    await initialiseAuditHead(models);
    return createStore(connection, models);
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    throw translateMongoError(error);
  }
}

/**
 * Reads the layout version (0 when none is recorded) in a transaction, which
 * also proves the server supports transactions before anything is written.
 */
async function checkSchemaVersion(connection: Connection, models: MongoModels): Promise<number> {
  const stored = await runTransaction(connection, (session) => models.meta.findOne({ _id: SCHEMA_META_ID }).session(session).lean<MetaDocument>().exec());
  if (stored && stored.version > MONGO_SCHEMA_VERSION) {
    throw new StoreError('ERR_STORE_SCHEMA_TOO_NEW', `database schema version ${stored.version} is newer than this build (${MONGO_SCHEMA_VERSION}); upgrade the vault`);
  }
  return stored?.version ?? 0;
}

/** Counts pending calls so that close() can let them finish, and refuses calls once closing. */
class PendingCalls implements StoreLifecycle {
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('ERR_STORE_UNAVAILABLE', 'store is closed');
    const running = work();
    this.pending.add(running);
    try {
      return await running;
    } finally {
      this.pending.delete(running);
    }
  }

  async drain(): Promise<void> {
    this.closed = true;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

function createStore(connection: Connection, models: MongoModels): VaultStore {
  const calls = new PendingCalls();
  const insideTransaction = new AsyncLocalStorage<true>();
  let closing: Promise<void> | null = null;

  return {
    kind: 'mongo',
    ...repositories(new StandaloneScope(models, connection, calls, () => insideTransaction.getStore() === true)),

    transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
      // withTransaction may run this callback more than once (the port allows it): each attempt
      // gets fresh repositories bound to the session.
      return calls.use(() =>
        insideTransaction.run(true, () =>
          runTransaction(connection, async (session) => {
            const scope = new TransactionScope(models, session);
            try {
              const result = await work(repositories(scope));
              await scope.finish();
              return result;
            } finally {
              scope.end();
            }
          }),
        ),
      );
    },

    ping(): Promise<void> {
      return calls.use(async () => {
        const db = connection.db;
        if (!db) throw new StoreError('ERR_STORE_UNAVAILABLE', 'store is not connected');
        try {
          await db.command({ ping: 1 });
        } catch (error) {
          throw unavailable(error);
        }
      });
    },

    /** `validate` on every collection of the vault (it reads each one whole: for maintenance windows). */
    checkIntegrity(): Promise<readonly string[]> {
      return calls.use(async () => {
        const db = connection.db;
        if (!db) throw new StoreError('ERR_STORE_UNAVAILABLE', 'store is not connected');
        const problems: string[] = [];
        for (const model of Object.values(models) as readonly { readonly collection: { readonly collectionName: string } }[]) {
          const name = model.collection.collectionName;
          try {
            const result = (await db.command({ validate: name })) as { valid?: boolean; errors?: string[] };
            if (result.valid !== true) problems.push(`${name}: ${(result.errors ?? ['not valid']).join('; ')}`);
          } catch (error) {
            throw unavailable(error);
          }
        }
        return problems;
      });
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await calls.drain();
        try {
          await connection.close();
        } catch (error) {
          throw translateMongoError(error);
        }
      })();
      return closing;
    },
  };
}
