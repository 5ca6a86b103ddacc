import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { backupSqliteDatabase, restoreSqliteDatabase } from '../../../../src/adapters/storage/sqlite/backup.js';
import { SCHEMA_VERSION } from '../../../../src/adapters/storage/sqlite/migrations.js';
import { openSqliteStore } from '../../../../src/adapters/storage/sqlite/sqlite-store.js';
import { fileFor, makeLicense } from '../../../fixtures/licenses.js';

describe('sqlite backup and restore', () => {
  let dir: string;
  const source = () => join(dir, 'vault.db');
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-backup-'));
    const store = openSqliteStore({ file: source() });
    for (let i = 0; i < 3; i += 1) {
      const record = makeLicense();
      await store.transaction(async (tx) => {
        await tx.licenses.insert(record);
        await tx.licenseFiles.put(fileFor(record));
        await tx.audit.append({ at: '2026-11-21T08:00:00.000Z', actor: { id: 'issuer-1', role: 'issuer' }, action: 'license.issue', target: record.identifier, details: {} });
      });
    }
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a backup holds every license and the audit head, and restores into an empty place only', async () => {
    const backup = await backupSqliteDatabase(source(), join(dir, 'backup.db'));
    expect(backup).toMatchObject({ licenses: 3, auditHead: { seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    await expect(backupSqliteDatabase(source(), join(dir, 'backup.db'))).rejects.toMatchObject({ code: 'ERR_BACKUP_EXISTS' });
    const restored = await restoreSqliteDatabase(join(dir, 'backup.db'), join(dir, 'restored.db'));
    expect(restored).toEqual(backup);
    await expect(restoreSqliteDatabase(join(dir, 'backup.db'), join(dir, 'restored.db'))).rejects.toMatchObject({ code: 'ERR_RESTORE_TARGET_NOT_EMPTY' });
    const store = openSqliteStore({ file: join(dir, 'restored.db') });
    await expect(store.licenses.count()).resolves.toBe(3);
    await expect(store.checkIntegrity()).resolves.toEqual([]);
    await store.close();
  });

  test('a damaged backup, or one from a newer build, is refused and leaves nothing behind', async () => {
    await backupSqliteDatabase(source(), join(dir, 'backup.db'));
    const bytes = readFileSync(join(dir, 'backup.db'));
    bytes.fill(0x5a, 4096, 8192);
    writeFileSync(join(dir, 'damaged.db'), bytes);
    await expect(restoreSqliteDatabase(join(dir, 'damaged.db'), join(dir, 'restored.db'))).rejects.toMatchObject({ code: 'ERR_BACKUP_DAMAGED' });
    writeFileSync(join(dir, 'not-a-database.db'), Buffer.alloc(8192, 0x41));
    await expect(restoreSqliteDatabase(join(dir, 'not-a-database.db'), join(dir, 'restored.db'))).rejects.toMatchObject({ code: 'ERR_BACKUP_DAMAGED' });

    const newer = new Database(join(dir, 'backup.db'));
    newer.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'later');
    newer.close();
    await expect(restoreSqliteDatabase(join(dir, 'backup.db'), join(dir, 'restored.db'))).rejects.toMatchObject({ code: 'ERR_STORE_SCHEMA_TOO_NEW' });
    expect([existsSync(join(dir, 'restored.db')), existsSync(join(dir, 'restored.db.restoring'))]).toEqual([false, false]);
  });
});
