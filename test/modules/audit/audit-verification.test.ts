import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ecdsaCheckpointSigner } from '../../../src/adapters/pki/checkpoint-signer.js';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { createCheckpoint, verifyAuditLog } from '../../../src/modules/audit/index.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';

const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = ecdsaCheckpointSigner({ ...keyPair, keyId: 'test-key' });
const NOW = new Date('2026-11-21T08:00:00Z');

describe('audit log verification', () => {
  let dir: string;
  let file: string;
  let store: VaultStore;
  /** Edits the database behind the store's back, as an intruder with file access would. */
  const tamper = (sql: string) => {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-audit-'));
    file = join(dir, 'vault.db');
    store = openSqliteStore({ file });
    for (let i = 1; i <= 5; i += 1)
      await store.audit.append({ at: NOW.toISOString(), actor: { id: 'clerk-1', role: 'clerk' }, action: 'holder.query', target: null, details: { purpose: `第${i}次` } });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an untouched log verifies', async () => {
    await expect(verifyAuditLog(store.audit)).resolves.toEqual({ ok: true, entries: 5, lastSeq: 5, problem: null });
  });

  test.each([
    ['an edited entry', 'UPDATE audit_log SET details = \'{"purpose":"改过"}\' WHERE seq = 3', { seq: 3, reason: 'hash' }],
    ['a deleted entry', 'DELETE FROM audit_log WHERE seq = 2', { seq: 3, reason: 'gap' }],
    [
      'two entries swapped',
      'UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -1',
      { seq: 2, reason: 'link' },
    ],
    [
      'an inserted entry renumbering the rest',
      "UPDATE audit_log SET seq = seq + 10 WHERE seq >= 3; UPDATE audit_log SET seq = seq - 9 WHERE seq >= 13; INSERT INTO audit_log (seq, at, actor_id, actor_role, action, target, details, prev_hash, hash) SELECT 3, at, actor_id, actor_role, 'license.read', target, details, prev_hash, 'f' || substr(hash, 2) FROM audit_log WHERE seq = 2",
      { seq: 3, reason: 'link' },
    ],
  ])('%s is found and the first bad sequence number named', async (_name, sql, problem) => {
    tamper(sql);
    await expect(verifyAuditLog(store.audit)).resolves.toMatchObject({ ok: false, problem });
  });

  test('truncation after a checkpoint is found; a forged checkpoint is refused', async () => {
    const checkpoint = await createCheckpoint(store.audit, signer, NOW);
    expect(checkpoint).toMatchObject({ seq: 5, keyId: 'test-key' });
    await expect(verifyAuditLog(store.audit, { value: checkpoint, signer })).resolves.toMatchObject({ ok: true });
    tamper('DELETE FROM audit_log WHERE seq >= 4');
    await expect(verifyAuditLog(store.audit)).resolves.toMatchObject({ ok: true, lastSeq: 3 });
    await expect(verifyAuditLog(store.audit, { value: checkpoint, signer })).resolves.toMatchObject({ ok: false, problem: { seq: 4, reason: 'truncated' } });
    await expect(verifyAuditLog(store.audit, { value: { ...checkpoint, seq: 3 }, signer })).resolves.toMatchObject({ ok: false, problem: { reason: 'checkpoint-signature' } });
  });
});
