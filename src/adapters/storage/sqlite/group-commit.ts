import type Database from 'better-sqlite3';
import { StoreError } from '../../../shared/errors.js';
import { translateSqliteError } from './connection.js';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** `undone: false`: the failed write could not be rolled back, so its batch must not commit. */
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown; readonly undone: boolean };

export interface GroupCommitOptions {
  readonly maxBatch?: number;
  /**
   * Makes everything committed so far durable (the store fdatasyncs the WAL on
   * libuv's thread pool). Without it, COMMIT itself must be durable
   * (synchronous=FULL), which blocks the event loop for the fsync.
   */
  readonly makeDurable?: () => Promise<void>;
}

/**
 * Group commit on the one writer connection. Writes run one at a time (their
 * work may be async and yield between statements); those that queue up while
 * a commit is being prepared share the next one. Each write runs in its own
 * SAVEPOINT of the outer transaction, so a write that fails is undone alone,
 * and every caller is answered only once its write is durable: after the
 * COMMIT and then `makeDurable` have returned. The next batch runs while the
 * previous one is being synced; its own sync covers both, so a write that
 * builds on an earlier one is never answered before that one is durable.
 * If a sync fails, what was committed may not be on disk: the batch fails and
 * so does every later write, until the store is reopened.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private readonly syncing = new Set<Promise<void>>();
  private broken: StoreError | null = null;
  private readonly maxBatch: number;
  private readonly makeDurable: (() => Promise<void>) | undefined;
  private readonly control: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackToSavepoint', Database.Statement>;

  constructor(
    private readonly db: Database.Database,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 128;
    this.makeDurable = options.makeDurable;
    this.control = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT write'),
      release: db.prepare('RELEASE write'),
      rollbackToSavepoint: db.prepare('ROLLBACK TO write'),
    };
  }

  run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // Started after the current round of I/O callbacks, so that every request read in this round joins the batch.
      this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    });
  }

  /** Why every write now fails, once a sync has failed. */
  get failure(): StoreError | null {
    return this.broken;
  }

  /** Resolves once every queued write has been answered. */
  async idle(): Promise<void> {
    while (this.draining || this.syncing.size > 0) {
      await this.draining;
      await Promise.all(this.syncing);
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      if (this.broken) {
        for (const pending of batch) pending.reject(this.broken);
        continue;
      }
      try {
        this.control.begin.run();
      } catch (error) {
        for (const pending of batch) pending.reject(translateSqliteError(error));
        continue;
      }
      const outcomes: Outcome[] = [];
      for (const pending of batch) outcomes.push(await this.inSavepoint(pending.work));
      try {
        if (outcomes.some((outcome) => !outcome.ok && !outcome.undone)) throw new Error('a failed write could not be undone; the batch was rolled back');
        this.control.commit.run();
      } catch (error) {
        this.rollBack();
        for (const pending of batch) pending.reject(translateSqliteError(error));
        continue;
      }
      this.answerWhenDurable(batch, outcomes);
    }
    // Cleared in the same turn the queue was seen empty, so a write queued from now on starts the next drain.
    this.draining = null;
  }

  private answerWhenDurable(batch: readonly Pending[], outcomes: readonly Outcome[]): void {
    const answer = (): void =>
      batch.forEach((pending, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      });
    if (!this.makeDurable) {
      answer();
      return;
    }
    const synced = this.makeDurable().then(answer, (error: unknown) => {
      this.broken ??= new StoreError('ERR_STORE_UNAVAILABLE', 'store unavailable: committed writes could not be made durable', undefined, { cause: error });
      for (const pending of batch) pending.reject(this.broken);
    });
    this.syncing.add(synced);
    void synced.finally(() => this.syncing.delete(synced));
  }

  private async inSavepoint(work: () => unknown): Promise<Outcome> {
    try {
      this.control.savepoint.run();
    } catch (error) {
      return { ok: false, error: translateSqliteError(error), undone: true };
    }
    try {
      const value = await work();
      this.control.release.run();
      return { ok: true, value };
    } catch (error) {
      let undone = true;
      try {
        this.control.rollbackToSavepoint.run();
        this.control.release.run();
      } catch {
        undone = false;
      }
      return { ok: false, error: translateSqliteError(error), undone };
    }
  }

  /** Abandons the open batch; never throws, so that the drain always reaches its end. */
  private rollBack(): void {
    try {
      if (this.db.inTransaction) this.control.rollback.run();
    } catch {
      // A connection that cannot roll back fails the next BEGIN, which refuses that batch in turn.
    }
  }
}
