import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadOrCreateFingerprintKeys } from '../../src/adapters/keys/fingerprint-keys.js';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { runCli } from '../../src/cli/main.js';
import { keyedHolderFingerprinter } from '../../src/modules/licenses/index.js';

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

  test('holder finds the look-ups of one holder under every kept key; rotate-fingerprint-key keeps the old key', async () => {
    const LI = { type: 'citizen', value: '11010519491231002X' } as const;
    const lookUpUnderCurrentKey = async (holder: { type: 'citizen'; value: string }) => {
      const fingerprinter = keyedHolderFingerprinter((await loadOrCreateFingerprintKeys(join(dir, 'certs'), new Date())).ring);
      const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
      const details = { purpose: '办理入学登记', holderFingerprint: fingerprinter.fingerprint(holder) };
      const entry = await store.audit.append({ at: '2026-11-21T08:00:00.000Z', actor: { id: 'clerk-1', role: 'clerk' }, action: 'holder.query', target: null, details });
      await store.close();
      return entry.seq;
    };
    const before = await lookUpUnderCurrentKey(LI);
    await lookUpUnderCurrentKey({ type: 'citizen', value: '440524188001010014' });
    await expect(run('audit', 'rotate-fingerprint-key')).resolves.toBe(0);
    expect(output).toMatch(/audit fingerprint key fp-20261121-[0-9a-f]{6} is now current .* \(2 kept\)/);
    const after = await lookUpUnderCurrentKey(LI);
    output = '';
    await expect(run('audit', 'holder', '11010519491231002x')).resolves.toBe(0);
    const found = output
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(found).toEqual([before, after]);
    // The search is audited, the number masked.
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    const last = await store.audit.last();
    await store.close();
    expect(last).toMatchObject({ action: 'audit.search', actor: { role: 'system' }, details: { holder: '110105********002x', entries: 2 } });
    await expect(run('audit', 'holder')).resolves.toBe(2);
    await expect(run('audit', 'holder', '11010519491231002X', '--holder-type', 'person')).resolves.toBe(2);
  });
});
