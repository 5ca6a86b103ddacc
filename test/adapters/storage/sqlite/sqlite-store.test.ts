import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../../src/adapters/storage/sqlite/sqlite-store.js';
import { migrate, SCHEMA_VERSION } from '../../../../src/adapters/storage/sqlite/migrations.js';
import { translateSqliteError } from '../../../../src/adapters/storage/sqlite/connection.js';
import { chainAuditEntry, verifyAuditLog, type AuditEntry } from '../../../../src/modules/audit/index.js';
import { runStoreContract } from '../../../contract/store-contract.js';
import { makeDepartment } from '../../../fixtures/departments.js';
import { makeLicense } from '../../../fixtures/licenses.js';

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

  test('a database at schema version 3 migrates: the license-type table goes, counters and reservations keep their numbers under `scope`', async () => {
    const file = join(dir, 'vault.db');
    const old = new Database(file);
    expect(migrate(old, 3)).toBe(3);
    old.prepare('INSERT INTO license_types (code, body) VALUES (?, ?)').run('11100000000013338W001', '{}');
    const counter = old.prepare('INSERT INTO serial_counters (type_code, issuer_credit_code, last) VALUES (?, ?, ?)');
    counter.run('11100000000013338W001', '91350100M000100Y43', 7);
    counter.run('license-number:2026', '91350100M000100Y43', 12);
    old
      .prepare('INSERT INTO serial_reservations (type_code, issuer_credit_code, value, reserved_at) VALUES (?, ?, ?, ?)')
      .run('11100000000013338W001', '91350100M000100Y43', 7, '2026-11-21T08:00:00.000Z');
    old.close();

    const store = openSqliteStore({ file });
    await expect(store.licenses.serialLedger()).resolves.toEqual({
      counters: [
        { scope: '11100000000013338W001', issuerCreditCode: '91350100M000100Y43', last: 7 },
        { scope: 'license-number:2026', issuerCreditCode: '91350100M000100Y43', last: 12 },
      ],
      reservations: [{ scope: '11100000000013338W001', issuerCreditCode: '91350100M000100Y43', value: 7, reservedAt: '2026-11-21T08:00:00.000Z' }],
    });
    const next = [
      { scope: '11100000000013338W001', issuerCreditCode: '91350100M000100Y43' },
      { scope: 'license-number:2026', issuerCreditCode: '91350100M000100Y43' },
    ];
    await expect(store.licenses.reserveNumbers(next, '2026-11-21T09:00:00.000Z')).resolves.toEqual([8, 13]);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'license_types'").all()).toEqual([]);
    expect((db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(SCHEMA_VERSION);
    db.close();
  });

  test('a database at schema version 4 migrates: a department without a signing key gets the one it signed with, its credit code', async () => {
    const file = join(dir, 'vault.db');
    const old = new Database(file);
    expect(migrate(old, 4)).toBe(4);
    const department = (creditCode: string, signingKey: string | null) => JSON.stringify(makeDepartment({ creditCode, signingKey }));
    const insert = old.prepare('INSERT INTO departments (credit_code, body) VALUES (?, ?)');
    insert.run('91350100M000100Y43', department('91350100M000100Y43', null));
    insert.run('11100000000013338W', department('11100000000013338W', 'rotated-2026'));
    old.close();

    const store = openSqliteStore({ file });
    await expect(store.departments.get('91350100M000100Y43')).resolves.toMatchObject({ signingKey: '91350100M000100Y43' });
    await expect(store.departments.get('11100000000013338W')).resolves.toMatchObject({ signingKey: 'rotated-2026' });
    await store.close();
  });

  test('a database at schema version 5 migrates: every admin account becomes a system administrator, other accounts keep their role', async () => {
    const file = join(dir, 'vault.db');
    const old = new Database(file);
    expect(migrate(old, 5)).toBe(5);
    const account = (clientId: string, role: string) =>
      JSON.stringify({ clientId, role, department: null, displayName: clientId, secretHash: 'scrypt$x', disabled: false, secretVersion: 2, createdAt: 'then', updatedAt: 'then' });
    const insert = old.prepare('INSERT INTO accounts (client_id, body) VALUES (?, ?)');
    insert.run('root-admin', account('root-admin', 'admin'));
    insert.run('window-1', account('window-1', 'clerk'));
    insert.run('audit-1', account('audit-1', 'auditor'));
    old.close();

    const store = openSqliteStore({ file });
    expect((await store.accounts.list()).map((a) => [a.clientId, a.role, a.secretVersion])).toEqual([
      ['audit-1', 'auditor', 2],
      ['root-admin', 'sysadmin', 2],
      ['window-1', 'clerk', 2],
    ]);
    await store.close();
  });

  test('a database at schema version 5 migrates: its audit entries read back without an address or request id, and the chain still verifies', async () => {
    const file = join(dir, 'vault.db');
    const old = new Database(file);
    expect(migrate(old, 5)).toBe(5);
    const insert = old.prepare('INSERT INTO audit_log (seq, at, actor_id, actor_role, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    let previous: AuditEntry | null = null;
    for (const action of ['department.create', 'license.issue']) {
      const entry = chainAuditEntry(previous, { at: '2026-11-21T08:00:00.000Z', actor: { id: 'admin-1', role: 'admin' }, action, target: null, details: { note: 'v5' } });
      insert.run(entry.seq, entry.at, entry.actor.id, entry.actor.role, entry.action, entry.target, JSON.stringify(entry.details), entry.prevHash, entry.hash);
      previous = entry;
    }
    old.close();

    const store = openSqliteStore({ file });
    const entries = await store.audit.list(0, 10);
    expect(entries.map((entry) => Object.keys(entry.actor).sort())).toEqual([
      ['id', 'role'],
      ['id', 'role'],
    ]);
    await expect(verifyAuditLog(store.audit)).resolves.toMatchObject({ ok: true, entries: 2 });
    await store.close();
  });

  test('a database at schema version 11 migrates: entries naming a holder are indexed by their fingerprint, the others are not, and the chain still verifies', async () => {
    const file = join(dir, 'vault.db');
    const old = new Database(file);
    expect(migrate(old, 11)).toBe(11);
    const insert = old.prepare('INSERT INTO audit_log (seq, at, actor_id, actor_role, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const fingerprint = `hmac-sha256:k1:${'3'.repeat(64)}`;
    let previous: AuditEntry | null = null;
    for (const details of [{ holderFingerprint: fingerprint }, { note: 'none' }, { holderFingerprint: 7 }, { holderFingerprint: fingerprint, purpose: '办理入学登记' }]) {
      const entry = chainAuditEntry(previous, { at: '2026-11-21T08:00:00.000Z', actor: { id: 'clerk-1', role: 'clerk' }, action: 'holder.query', target: null, details });
      insert.run(entry.seq, entry.at, entry.actor.id, entry.actor.role, entry.action, entry.target, JSON.stringify(entry.details), entry.prevHash, entry.hash);
      previous = entry;
    }
    old.close();

    const store = openSqliteStore({ file });
    await expect(store.audit.listByHolder([fingerprint], { limit: 10 }).then((entries) => entries.map((entry) => entry.seq))).resolves.toEqual([4, 1]);
    await expect(verifyAuditLog(store.audit)).resolves.toMatchObject({ ok: true, entries: 4 });
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT seq FROM audit_log WHERE holder_fingerprint IS NOT NULL ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 4 }]);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT seq FROM audit_log WHERE holder_fingerprint = ? AND seq < ? ORDER BY seq DESC LIMIT ?').all(fingerprint, 100, 10) as {
      detail: string;
    }[];
    expect(plan.map((step) => step.detail).join('; ')).toMatch(/USING (COVERING )?INDEX audit_log_by_holder/);
    expect(plan.map((step) => step.detail).join('; ')).not.toMatch(/TEMP B-TREE/);
    db.close();
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
