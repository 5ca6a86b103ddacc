import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../src/adapters/storage/sqlite/group-commit.js';

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

const settle = <T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } => {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(seen, { state: 'resolved', value }),
    (error: unknown) => Object.assign(seen, { state: 'rejected', error }),
  );
  return seen;
};

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('group commit with an asynchronous durability step', () => {
  let dir: string;
  let writer: Database.Database;
  let observer: Database.Database;
  let syncs: Deferred[];
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
    commits = new GroupCommit(writer, {
      makeDurable: () => {
        const sync = deferred();
        syncs.push(sync);
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
    await until(() => syncs.length === 1);
    expect(count()).toBe(2);
    expect([first.state, second.state]).toEqual(['pending', 'pending']);
    syncs[0]!.resolve();
    await until(() => second.state !== 'pending');
    expect([first, second]).toEqual([
      { state: 'resolved', value: 1 },
      { state: 'resolved', value: 2 },
    ]);
  });

  test('runs the next batch while the previous one is being synced, and answers each after its own sync', async () => {
    const first = settle(commits.run(insert(1)));
    await until(() => syncs.length === 1);
    const second = settle(commits.run(insert(2)));
    await until(() => syncs.length === 2);
    expect(count()).toBe(2);
    syncs[1]!.resolve();
    await until(() => second.state !== 'pending');
    expect(first.state).toBe('pending');
    syncs[0]!.resolve();
    await until(() => first.state !== 'pending');
    expect(first.state).toBe('resolved');
  });

  test('a failed write in a batch is still answered with its own error, after the sync', async () => {
    const good = settle(commits.run(insert(1)));
    const bad = settle(commits.run(insert(-1)));
    await until(() => syncs.length === 1);
    expect(bad.state).toBe('pending');
    syncs[0]!.resolve();
    await until(() => bad.state !== 'pending' && good.state !== 'pending');
    expect(good.state).toBe('resolved');
    expect(bad).toMatchObject({ state: 'rejected', error: expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }) });
    expect(count()).toBe(1);
  });

  test('a failed sync fails its batch and every later write with ERR_STORE_UNAVAILABLE', async () => {
    const written = settle(commits.run(insert(1)));
    await until(() => syncs.length === 1);
    syncs[0]!.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await until(() => written.state !== 'pending');
    expect(written).toMatchObject({ state: 'rejected', error: expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }) });
    expect(commits.failure).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(commits.run(insert(2))).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(count()).toBe(1);
  });

  test('idle() waits for the syncs still in flight', async () => {
    const written = settle(commits.run(insert(1)));
    await until(() => syncs.length === 1);
    const idle = settle(commits.idle());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle.state).toBe('pending');
    syncs[0]!.resolve();
    await until(() => idle.state !== 'pending');
    expect(written.state).toBe('resolved');
  });
});
