import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointDirectory } from '../../../../src/adapters/recovery/checkpoint-directory.js';
import { RestoreMarkerFile } from '../../../../src/adapters/recovery/restore-marker-file.js';
import { backupSqliteDatabase, restoreSqliteDatabase } from '../../../../src/adapters/storage/sqlite/backup.js';
import { openSqliteStore } from '../../../../src/adapters/storage/sqlite/sqlite-store.js';
import { VAULT_CHECKPOINT_FORMAT } from '../../../../src/modules/recovery/index.js';
import { fileFor, makeLicense } from '../../../fixtures/licenses.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every file under `dir` (one level) with its mode, e.g. `{ 'vault.db': 0o600 }`. */
function modesIn(dir: string): Record<string, number> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, modeOf(join(dir, name))]));
}

describe.each([0o022, 0o000, 0o002])('the store on disk is owner-only under umask %o', (umask) => {
  let root: string;
  let previousUmask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vault-modes-'));
    previousUmask = process.umask(umask);
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  async function storeWithALicense(file: string) {
    const store = openSqliteStore({ file });
    const record = makeLicense();
    await store.transaction(async (tx) => {
      await tx.licenses.insert(record);
      await tx.licenseFiles.put(fileFor(record));
    });
    return store;
  }

  test('the data directory is created 0700; vault.db, its WAL and shared memory are 0600', async () => {
    const dataDir = join(root, 'var', 'data');
    const store = await storeWithALicense(join(dataDir, 'vault.db'));
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(join(root, 'var'))).toBe(0o700);
      expect(modesIn(dataDir)).toEqual({ 'vault.db': 0o600, 'vault.db-wal': 0o600, 'vault.db-shm': 0o600 });
    } finally {
      await store.close();
    }
  });

  test('a database left 0644 by an older vault is made 0600 when opened, with its WAL', async () => {
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'vault.db');
    await (await storeWithALicense(file)).close();
    chmodSync(file, 0o644);
    chmodSync(dataDir, 0o755);
    const store = openSqliteStore({ file });
    try {
      expect(Object.values(modesIn(dataDir)).every((mode) => mode === 0o600)).toBe(true);
      expect(Object.keys(modesIn(dataDir))).toContain('vault.db-wal');
      // An existing directory is the operator's: left as it is.
      expect(modeOf(dataDir)).toBe(0o755);
    } finally {
      await store.close();
    }
  });

  test('backups, restored databases, checkpoints and the restore marker are 0600', async () => {
    const file = join(root, 'data', 'vault.db');
    await (await storeWithALicense(file)).close();
    await backupSqliteDatabase(file, join(root, 'backup.db'));
    expect(modeOf(join(root, 'backup.db'))).toBe(0o600);
    await restoreSqliteDatabase(join(root, 'backup.db'), join(root, 'vault.db'));
    expect(modeOf(join(root, 'vault.db'))).toBe(0o600);

    const checkpoints = join(root, 'data-checkpoints');
    await new CheckpointDirectory(checkpoints).save({
      format: VAULT_CHECKPOINT_FORMAT,
      at: '2026-11-21T02:00:00.000Z',
      keyId: 'test',
      audit: { seq: 0, hash: '0'.repeat(64) },
      counters: [],
      signature: 'x',
    });
    expect(modeOf(checkpoints)).toBe(0o700);
    expect(Object.values(modesIn(checkpoints))).toEqual([0o600]);
    await new RestoreMarkerFile(join(root, 'data')).write({ restoredAt: '2026-11-21T02:00:00.000Z', backup: join(root, 'backup.db') });
    expect(modeOf(join(root, 'data', 'RESTORED-FROM-BACKUP.json'))).toBe(0o600);
  });
});
