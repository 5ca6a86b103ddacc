import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { SCHEMA_VERSION } from '../../src/adapters/storage/sqlite/migrations.js';
import { translateSqliteError } from '../../src/adapters/storage/sqlite/connection.js';
import { runStoreContract } from '../contract/store-contract.js';
import { makeLicense } from '../fixtures/licenses.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vault-sqlite-'));
}

runStoreContract('sqlite', async () => {
  const dir = tempDir();
  const store = openSqliteStore({ file: join(dir, 'vault.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store specifics', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('runs in WAL mode, syncing the WAL itself before answering, and records its schema version', async () => {
    const file = join(dir, 'nested', 'vault.db');
    const store = openSqliteStore({ file });
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 'NORMAL', walSyncedBeforeAnswer: true, foreignKeys: true });
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(SCHEMA_VERSION);
    db.close();
  });

  test('committed records survive a reopen', async () => {
    const file = join(dir, 'vault.db');
    const record = makeLicense();
    const first = openSqliteStore({ file });
    await first.licenses.insert(record);
    await first.close();
    const second = openSqliteStore({ file });
    await expect(second.licenses.findByIdentifier(record.identifier)).resolves.toEqual(record);
    await second.close();
  });

  test('a database from a newer build is refused with ERR_STORE_SCHEMA_TOO_NEW', async () => {
    const file = join(dir, 'vault.db');
    await openSqliteStore({ file }).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'later');
    db.close();
    expect(() => openSqliteStore({ file })).toThrow(expect.objectContaining({ code: 'ERR_STORE_SCHEMA_TOO_NEW' }));
  });

  test('a standalone write inside a transaction is refused instead of deadlocking', async () => {
    const store = openSqliteStore({ file: join(dir, 'vault.db') });
    await expect(store.transaction(() => store.licenses.insert(makeLicense()))).rejects.toThrow(TypeError);
    await expect(store.licenses.count()).resolves.toBe(0);
    await store.close();
  });
});

describe('sqlite error translation', () => {
  test('recognises driver errors from another realm (regression: jest test files each have their own Error)', () => {
    const foreign = { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: licenses.sha256' };
    expect(translateSqliteError(foreign)).toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'sha256' } });
    expect(translateSqliteError({ code: 'SQLITE_BUSY', message: 'database is locked' })).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    const unrelated = new RangeError('not a driver error');
    expect(translateSqliteError(unrelated)).toBe(unrelated);
  });
});
