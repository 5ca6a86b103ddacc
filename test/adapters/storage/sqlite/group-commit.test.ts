import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../../../src/adapters/storage/sqlite/group-commit.js';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

interface Settled<T> {
  state: 'pending' | 'resolved' | 'rejected';
  value?: T;
  error?: unknown;
}

/** Records how `promise` settles, to look at while it is still pending; `settled` resolves once it has. */
const settle = <T>(promise: Promise<T>): Settled<T> & { readonly settled: Promise<void> } => {
  const seen: Settled<T> = { state: 'pending' };
  const settled = promise.then(
    (value) => void Object.assign(seen, { state: 'resolved', value }),
    (error: unknown) => void Object.assign(seen, { state: 'rejected', error }),
  );
  return Object.assign(seen, { settled });
};

/** What a settled write shows, without the promise. */
const outcome = <T>({ state, value, error }: Settled<T>): Settled<T> => ({ state, ...(value === undefined ? {} : { value }), ...(error === undefined ? {} : { error }) });

/** One turn of the event loop: whatever was not waiting on something else has run by then. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('group commit with an asynchronous durability step', () => {
  let dir: string;
  let writer: Database.Database;
  let observer: Database.Database;
  let syncs: Deferred[];
  let syncWaiters: { readonly count: number; resolve(): void }[];
  /** Resolves once the group commit has asked for its `count`th sync. */
  const syncRequested = (count: number): Promise<void> => (syncs.length >= count ? Promise.resolve() : new Promise((resolve) => syncWaiters.push({ count, resolve })));
  let commits: GroupCommit;
  const count = (): number => (observer.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  const insert = (value: number) => (): number => Number(writer.prepare('INSERT INTO t (x) VALUES (?)').run(value).lastInsertRowid);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-group-commit-'));
    writer = new Database(join(dir, 'db.sqlite'));
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (x INTEGER NOT NULL CHECK (x >= 0))');
    observer = new Database(join(dir, 'db.sqlite'), { readonly: true });
    syncs = [];
    syncWaiters = [];
    commits = new GroupCommit(writer, {
      makeDurable: () => {
        const sync = deferred();
        syncs.push(sync);
        for (const waiter of syncWaiters.filter((w) => syncs.length >= w.count)) waiter.resolve();
        return sync.promise;
      },
    });
  });

  afterEach(() => {
    observer.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('answers a write only after the sync that follows its COMMIT has finished', async () => {
    const first = settle(commits.run(insert(1)));
    const second = settle(commits.run(insert(2)));
    await syncRequested(1);
    expect(count()).toBe(2);
    await turn();
    expect([first.state, second.state]).toEqual(['pending', 'pending']);
    syncs[0]!.resolve();
    await second.settled;
    expect([outcome(first), outcome(second)]).toEqual([
      { state: 'resolved', value: 1 },
      { state: 'resolved', value: 2 },
    ]);
  });

  test('runs the next batch while the previous one is being synced, and answers each after its own sync', async () => {
    const first = settle(commits.run(insert(1)));
    await syncRequested(1);
    const second = settle(commits.run(insert(2)));
    await syncRequested(2);
    expect(count()).toBe(2);
    syncs[1]!.resolve();
    await second.settled;
    await turn();
    expect(first.state).toBe('pending');
    syncs[0]!.resolve();
    await first.settled;
    expect(first.state).toBe('resolved');
  });

  test('a failed write in a batch is still answered with its own error, after the sync', async () => {
    const good = settle(commits.run(insert(1)));
    const bad = settle(commits.run(insert(-1)));
    await syncRequested(1);
    await turn();
    expect(bad.state).toBe('pending');
    syncs[0]!.resolve();
    await Promise.all([bad.settled, good.settled]);
    expect(good.state).toBe('resolved');
    expect(bad).toMatchObject({ state: 'rejected', error: expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }) });
    expect(count()).toBe(1);
  });

  test('a failed sync fails its batch and every later write with ERR_STORE_UNAVAILABLE', async () => {
    const written = settle(commits.run(insert(1)));
    await syncRequested(1);
    syncs[0]!.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await written.settled;
    expect(written).toMatchObject({ state: 'rejected', error: expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }) });
    expect(commits.failure).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(commits.run(insert(2))).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(count()).toBe(1);
  });

  test('idle() waits for the syncs still in flight', async () => {
    const written = settle(commits.run(insert(1)));
    await syncRequested(1);
    const idle = settle(commits.idle());
    await turn();
    expect(idle.state).toBe('pending');
    syncs[0]!.resolve();
    await idle.settled;
    expect(written.state).toBe('resolved');
  });
});
