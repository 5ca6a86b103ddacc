import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateFingerprintKeyRing } from '../../../src/adapters/keys/fingerprint-keys.js';
import { ecdsaCheckpointSigner } from '../../../src/adapters/pki/checkpoint-signer.js';
import { migrate } from '../../../src/adapters/storage/sqlite/migrations.js';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { rekeyAuditFingerprints } from '../../../src/composition/rekey-audit.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import { chainAuditEntry, createCheckpoint, verifyAuditLog, type AuditCheckpoint, type AuditDraft, type AuditEntry } from '../../../src/modules/audit/index.js';
import { isUnkeyedHolderFingerprint, keyedHolderFingerprinter, unkeyedHolderFingerprint, type HolderFingerprinter } from '../../../src/modules/licenses/index.js';
import { storeHoldsCheckpoint, takeVaultCheckpoint, type VaultCheckpoint } from '../../../src/modules/recovery/index.js';

const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = ecdsaCheckpointSigner({ ...keyPair, keyId: 'test-key' });
const NOW = new Date('2026-12-04T08:00:00Z');
const clock = { now: () => NOW };
const LI = { type: 'citizen', value: '11010519491231002X' } as const;
const ZHANG = { type: 'citizen', value: '440524188001010014' } as const;

const draft = (action: string, details: Record<string, unknown>, target: string | null = null): AuditDraft => ({
  at: '2026-11-21T08:00:00.000Z',
  actor: { id: 'clerk-1', role: 'clerk' },
  action,
  target,
  details,
});
const lookUp = (holder: typeof LI | typeof ZHANG, masked: string) =>
  draft('holder.query', { purpose: '办理入学登记', holderType: 'citizen', holder: masked, holderFingerprint: unkeyedHolderFingerprint(holder), outcome: '1 license(s)' });

/** Entries as the vault before issue 15 wrote them (schema 5, no legacy_hash column), chained by the same code, straight into the file. */
function writePreIssueEntries(file: string, drafts: readonly AuditDraft[]): void {
  const db = new Database(file);
  migrate(db, 5);
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  let previous: Pick<AuditEntry, 'seq' | 'hash'> | null = last ?? null;
  const insert = db.prepare('INSERT INTO audit_log (seq, at, actor_id, actor_role, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const item of drafts) {
    const entry = chainAuditEntry(previous, item);
    insert.run(entry.seq, entry.at, entry.actor.id, entry.actor.role, entry.action, entry.target, JSON.stringify(entry.details), entry.prevHash, entry.hash);
    previous = entry;
  }
  db.close();
}

/** Issue 15, item 1: entries written with an unsalted fingerprint are re-keyed at start without breaking the chain's verification (ADR 0010). */
describe('re-keying the holder fingerprints of an existing audit log', () => {
  let dir: string;
  let file: string;
  let store: VaultStore;
  let fingerprinter: HolderFingerprinter;
  /** Taken before the re-key: at entry 1 (before the re-keyed range) and at the head (inside it). */
  let early: AuditCheckpoint;
  let head: AuditCheckpoint;
  let vaultCheckpoint: VaultCheckpoint;
  let before: readonly AuditEntry[];
  const tamper = (sql: string) => {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-rekey-'));
    file = join(dir, 'vault.db');
    writePreIssueEntries(file, [draft('license.issue', { outcome: 'issued' }, '1.2.156.3005.2.a')]);
    store = openSqliteStore({ file });
    early = await createCheckpoint(store.audit, signer, NOW);
    await store.close();
    writePreIssueEntries(file, [
      draft('license.read', { outcome: 'read' }, '1.2.156.3005.2.a'),
      lookUp(LI, '110105********002X'),
      draft('license.download', { purpose: '窗口办理', outcome: 'downloaded' }, '1.2.156.3005.2.a'),
      lookUp(ZHANG, '440524********0014'),
      draft('license.issue', { outcome: 'issued' }, '1.2.156.3005.2.b'),
    ]);
    store = openSqliteStore({ file });
    head = await createCheckpoint(store.audit, signer, NOW);
    vaultCheckpoint = await takeVaultCheckpoint(store, signer, NOW);
    before = await store.audit.list(0, 100);
    fingerprinter = keyedHolderFingerprinter(generateFingerprintKeyRing(NOW));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every unkeyed fingerprint becomes the keyed one a new look-up records; old checkpoints still verify; a second run changes nothing', async () => {
    const rekey = await rekeyAuditFingerprints({ store, fingerprinter, clock });
    expect(rekey).toMatchObject({
      seq: 7,
      action: 'audit.rekey',
      actor: { id: 'system', role: 'system' },
      details: { fromSeq: 3, throughSeq: 6, legacyHead: head.hash, legacyHashesDigest: expect.stringMatching(/^[0-9a-f]{64}$/), keyId: fingerprinter.keyId, rewritten: 2 },
    });
    const after = await store.audit.list(0, 100);
    expect(after.filter((entry) => isUnkeyedHolderFingerprint(entry.details['holderFingerprint']))).toEqual([]);
    expect(after.filter((entry) => entry.action === 'holder.query').map((entry) => entry.details['holderFingerprint'])).toEqual([
      fingerprinter.fingerprint(LI),
      fingerprinter.fingerprint(ZHANG),
    ]);
    // Entries before the first rewritten one are untouched; from it on each keeps the hash it had.
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(after.slice(2, 6).map((entry) => entry.legacyHash)).toEqual(before.slice(2, 6).map((entry) => entry.hash));
    expect(after.slice(2, 6).every((entry, i) => entry.hash !== before[i + 2]?.hash)).toBe(true);

    await expect(verifyAuditLog(store.audit)).resolves.toEqual({ ok: true, entries: 7, lastSeq: 7, problem: null });
    await expect(verifyAuditLog(store.audit, { value: early, signer })).resolves.toMatchObject({ ok: true });
    await expect(verifyAuditLog(store.audit, { value: head, signer })).resolves.toMatchObject({ ok: true });
    await expect(verifyAuditLog(store.audit, { value: await createCheckpoint(store.audit, signer, NOW), signer })).resolves.toMatchObject({ ok: true });
    await expect(storeHoldsCheckpoint(store, vaultCheckpoint)).resolves.toBe(true);

    await expect(rekeyAuditFingerprints({ store, fingerprinter, clock })).resolves.toBeNull();
    await expect(store.audit.list(0, 100)).resolves.toEqual(after);
  });

  test.each([
    ['a legacy hash changed', "UPDATE audit_log SET legacy_hash = 'f' || substr(legacy_hash, 2) WHERE seq = 4", { seq: 7, reason: 'legacy' }],
    ['the legacy head changed', "UPDATE audit_log SET legacy_hash = 'f' || substr(legacy_hash, 2) WHERE seq = 6", { seq: 7, reason: 'legacy' }],
    ['a legacy hash removed', 'UPDATE audit_log SET legacy_hash = NULL WHERE seq = 5', { seq: 3, reason: 'legacy' }],
    ['a legacy hash added outside the re-keyed run', 'UPDATE audit_log SET legacy_hash = hash WHERE seq = 1', { seq: 1, reason: 'legacy' }],
    ['a re-keyed entry edited', "UPDATE audit_log SET details = json_set(details, '$.purpose', '改过') WHERE seq = 4", { seq: 4, reason: 'hash' }],
    ['the rekey entry edited', "UPDATE audit_log SET details = json_set(details, '$.throughSeq', 5) WHERE seq = 7", { seq: 7, reason: 'hash' }],
  ])('after the re-key, %s is found', async (_name, sql, problem) => {
    await rekeyAuditFingerprints({ store, fingerprinter, clock });
    tamper(sql);
    await expect(verifyAuditLog(store.audit)).resolves.toMatchObject({ ok: false, problem });
  });

  test('a checkpoint taken before the re-key does not vouch for a legacy hash someone changed to match another', async () => {
    await rekeyAuditFingerprints({ store, fingerprinter, clock });
    tamper(`UPDATE audit_log SET legacy_hash = '${'a'.repeat(64)}' WHERE seq = 6`);
    await expect(verifyAuditLog(store.audit, { value: head, signer })).resolves.toMatchObject({ ok: false, problem: { reason: 'legacy' } });
  });

  test('a chain already broken is not re-keyed: the start fails with ERR_AUDIT_CHAIN_BROKEN and nothing changes', async () => {
    tamper('UPDATE audit_log SET details = \'{"outcome":"改过"}\' WHERE seq = 2');
    const broken = await store.audit.list(0, 100);
    await expect(rekeyAuditFingerprints({ store, fingerprinter, clock })).rejects.toMatchObject({ code: 'ERR_AUDIT_CHAIN_BROKEN', details: { seq: 2, reason: 'hash' } });
    await expect(store.audit.list(0, 100)).resolves.toEqual(broken);
  });

  test('after the re-key and a close, the database file holds no unkeyed fingerprint', async () => {
    await rekeyAuditFingerprints({ store, fingerprinter, clock });
    await store.close();
    const bytes = readFileSync(file).toString('latin1');
    expect(bytes).not.toContain(unkeyedHolderFingerprint(LI));
    expect(bytes).not.toContain(unkeyedHolderFingerprint(ZHANG));
    store = openSqliteStore({ file });
  });
});
