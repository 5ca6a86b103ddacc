import type Database from 'better-sqlite3';
import { translateSqliteError } from './connection.js';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** `undone: false`: the failed write could not be rolled back, so its batch must not commit. */
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown; readonly undone: boolean };

/**
 * Group commit on the one writer connection. Writes run one at a time (their
 * work may be async and yield between statements); those that queue up while
 * a commit is being prepared share the next one. Each write runs in its own
 * SAVEPOINT of the outer transaction, so a write that fails is undone alone,
 * and every caller is answered only once the COMMIT that made its write
 * durable has returned, or fails with that COMMIT. A synchronous=FULL commit
 * is paid once per batch instead of once per write.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch = 128,
  ) {}

  run<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // Started after the current round of I/O callbacks, so that every request read in this round joins the batch.
      this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    });
  }

  /** Resolves once every queued write has been answered. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        for (const pending of batch) pending.reject(translateSqliteError(error));
        continue;
      }
      const outcomes: Outcome[] = [];
      for (const pending of batch) outcomes.push(await this.inSavepoint(pending.work));
      try {
        if (outcomes.some((outcome) => !outcome.ok && !outcome.undone)) throw new Error('a failed write could not be undone; the batch was rolled back');
        this.db.exec('COMMIT');
      } catch (error) {
        this.rollBack();
        for (const pending of batch) pending.reject(translateSqliteError(error));
        continue;
      }
      batch.forEach((pending, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      });
    }
    // Cleared in the same turn the queue was seen empty, so a write queued from now on starts the next drain.
    this.draining = null;
  }

  private async inSavepoint(work: () => unknown): Promise<Outcome> {
    try {
      this.db.exec('SAVEPOINT write');
    } catch (error) {
      return { ok: false, error: translateSqliteError(error), undone: true };
    }
    try {
      const value = await work();
      this.db.exec('RELEASE write');
      return { ok: true, value };
    } catch (error) {
      let undone = true;
      try {
        this.db.exec('ROLLBACK TO write');
        this.db.exec('RELEASE write');
      } catch {
        undone = false;
      }
      return { ok: false, error: translateSqliteError(error), undone };
    }
  }

  /** Abandons the open batch; never throws, so that the drain always reaches its end. */
  private rollBack(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // A connection that cannot roll back fails the next BEGIN, which refuses that batch in turn.
    }
  }
}
