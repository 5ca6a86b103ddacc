import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { runCli } from '../../src/cli/main.js';

describe('license-vault audit', () => {
  let dir: string;
  let output: string;
  const env = () => ({ VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') });
  const run = (...argv: string[]) => runCli(argv, { out: (text) => void (output += text), env: env(), now: () => new Date('2026-11-21T08:00:00Z') });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-audit-cli-'));
    output = '';
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    for (let i = 0; i < 4; i += 1)
      await store.audit.append({ at: '2026-11-21T08:00:00.000Z', actor: { id: 'clerk-1', role: 'clerk' }, action: 'holder.query', target: null, details: { purpose: `核验${i}` } });
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('verify passes on an intact chain, and names the first bad entry of an edited one (exit 1)', async () => {
    await expect(run('audit', 'verify')).resolves.toBe(0);
    expect(output).toContain('audit log OK: 4 entries, last seq 4');
    const db = new Database(join(dir, 'data', 'vault.db'));
    db.exec("UPDATE audit_log SET action = 'license.read' WHERE seq = 2");
    db.close();
    output = '';
    await expect(run('audit', 'verify')).resolves.toBe(1);
    expect(output).toContain('audit log BROKEN at seq 2: hash');
  });

  test('a checkpoint exported before a rollback exposes the rollback', async () => {
    await expect(run('audit', 'checkpoint')).resolves.toBe(0);
    const checkpointFile = join(dir, 'checkpoint.json');
    writeFileSync(checkpointFile, output);
    const db = new Database(join(dir, 'data', 'vault.db'));
    db.exec('DELETE FROM audit_log WHERE seq = 4');
    db.close();
    output = '';
    await expect(run('audit', 'verify')).resolves.toBe(0);
    output = '';
    await expect(run('audit', 'verify', '--checkpoint', checkpointFile)).resolves.toBe(1);
    expect(output).toContain('audit log BROKEN at seq 4: truncated');
    await expect(run('audit', 'nothing')).resolves.toBe(2);
  });
});
