import type { ClientSession, Connection, mongo } from 'mongoose';
import { isDriverError, shouldRetryTransaction, translateMongoError } from './errors.js';
import type { MongoModels } from './models.js';

/**
 * How a repository reaches MongoDB. Every query a repository makes inside
 * `read`, `write` or `atomically` must pass the session it is given (`null`
 * outside a transaction): a query without it would silently run outside the
 * transaction.
 */
export interface MongoScope {
  readonly models: MongoModels;
  /**
   * True inside `VaultStore.transaction`. There, a write the server rejects
   * (a duplicate key, say) aborts the whole MongoDB transaction, so
   * repositories look for a taken unique key with a read first and report it
   * without sending the failing write.
   */
  readonly inTransaction: boolean;
  /** Runs queries that only read, with the scope's session, translating driver errors into store errors. */
  read<T>(work: (session: ClientSession | null) => Promise<T>): Promise<T>;
  /** Runs queries that write (one atomic write, or several inside a transaction), as `read` does. */
  write<T>(work: (session: ClientSession | null) => Promise<T>): Promise<T>;
  /**
   * Runs queries that must apply together: as part of the current
   * transaction inside one, else in a transaction of their own.
   */
  atomically<T>(work: (session: ClientSession) => Promise<T>): Promise<T>;
}

/** Read and write concerns of every transaction: only majority-committed data in, majority-acknowledged commit out. */
export const TRANSACTION_OPTIONS: mongo.TransactionOptions = {
  readConcern: { level: 'majority' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

/**
 * Runs `body` in a transaction on a new session with `withTransaction`,
 * which retries the whole body on TransientTransactionError (write
 * conflicts, network errors) and the commit on
 * UnknownTransactionCommitResult, for up to 120 s. Errors come out translated.
 */
export async function runTransaction<T>(connection: Connection, body: (session: ClientSession) => Promise<T>): Promise<T> {
  let session: ClientSession;
  try {
    session = await connection.startSession();
  } catch (error) {
    throw translateMongoError(error);
  }
  try {
    return await session.withTransaction(() => body(session), TRANSACTION_OPTIONS);
  } catch (error) {
    throw translateMongoError(error);
  } finally {
    // endSession only returns the server session to the pool; its failure changes nothing for the caller.
    await session.endSession().catch(() => undefined);
  }
}

/**
 * The scope of one attempt of one transaction: every repository handed to
 * `work` shares its session.
 *
 * Operations are queued and sent one at a time (a MongoDB session runs one
 * operation at a time; parallel first operations would each try to start
 * the transaction). Nothing inside `read`, `write` or `atomically` may call
 * one of them again.
 *
 * The server aborts a transaction on the first failed command, and
 * `withTransaction` only learns of it if the error reaches it. So the first
 * driver error is remembered: later operations fail with it at once, and
 * {@link finish} rethrows it even when `work` caught it and resolved, rather
 * than committing a transaction that no longer exists (the driver would then
 * retry it for two minutes). Transient errors are passed on untranslated so
 * that `withTransaction` retries the attempt, except a server selection
 * timeout: no usable server for `serverSelectionTimeoutMS` already, so the
 * transaction fails with ERR_STORE_UNAVAILABLE instead of waiting that long
 * again on every retry for two minutes.
 */
export class TransactionScope implements MongoScope {
  readonly inTransaction = true;
  private tail: Promise<unknown> = Promise.resolve();
  private failure: { readonly error: unknown } | null = null;
  private ended = false;

  constructor(
    readonly models: MongoModels,
    private readonly session: ClientSession,
  ) {}

  read<T>(work: (session: ClientSession | null) => Promise<T>): Promise<T> {
    return this.atomically(work);
  }

  write<T>(work: (session: ClientSession | null) => Promise<T>): Promise<T> {
    return this.atomically(work);
  }

  atomically<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const next = this.tail.then(async () => {
      if (this.ended) throw new TypeError('the repositories of a transaction were used after it ended');
      if (this.failure) throw this.failure.error;
      try {
        return await work(this.session);
      } catch (error) {
        throw this.fail(error);
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Called when `work` resolved: rethrows a failure it swallowed, since the server has aborted the transaction. */
  async finish(): Promise<void> {
    await this.tail;
    this.ended = true;
    if (this.failure) throw this.failure.error;
  }

  /** Called when the attempt is over, however it ended. */
  end(): void {
    this.ended = true;
  }

  private fail(error: unknown): unknown {
    if (!isDriverError(error)) return translateMongoError(error);
    const raised = shouldRetryTransaction(error) ? error : translateMongoError(error);
    this.failure ??= { error: raised };
    return raised;
  }
}

/** Keeps count of the store's pending calls and refuses new ones once it is closing. */
export interface StoreLifecycle {
  /** Runs `work` unless the store is closed (ERR_STORE_UNAVAILABLE), counting it as pending until it settles. */
  use<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Outside a transaction: each query is its own atomic write; multi-document
 * writes get a transaction of their own.
 *
 * A write through these repositories from inside a `transaction()` callback
 * is refused with a TypeError, as the SQLite store does: it would not be part
 * of the transaction, and if it touched a document the transaction has
 * written it would wait for the transaction, which waits for it, until the
 * server aborts the transaction after its lifetime limit (60 s by default).
 */
export class StandaloneScope implements MongoScope {
  readonly inTransaction = false;

  constructor(
    readonly models: MongoModels,
    private readonly connection: Connection,
    private readonly lifecycle: StoreLifecycle,
    private readonly insideTransaction: () => boolean,
  ) {}

  read<T>(work: (session: ClientSession | null) => Promise<T>): Promise<T> {
    return this.lifecycle.use(async () => {
      try {
        return await work(null);
      } catch (error) {
        throw translateMongoError(error);
      }
    });
  }

  async write<T>(work: (session: ClientSession | null) => Promise<T>): Promise<T> {
    this.refuseInsideTransaction();
    return this.read(work);
  }

  async atomically<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    this.refuseInsideTransaction();
    return this.lifecycle.use(() => runTransaction(this.connection, work));
  }

  private refuseInsideTransaction(): void {
    if (this.insideTransaction()) throw new TypeError('use the repositories passed to transaction() inside a transaction');
  }
}
