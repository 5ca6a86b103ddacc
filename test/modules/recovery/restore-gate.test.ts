import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ecdsaCheckpointSigner } from '../../../src/adapters/pki/checkpoint-signer.js';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import { CheckpointDirectory } from '../../../src/adapters/recovery/checkpoint-directory.js';
import { RestoreMarkerFile } from '../../../src/adapters/recovery/restore-marker-file.js';
import { backupSqliteDatabase } from '../../../src/adapters/storage/sqlite/backup.js';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { generateTokenSigningKey } from '../../../src/adapters/tokens/signing-key.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import { checkVaultConsistency } from '../../../src/modules/integrity/index.js';
import { LicenseIssuance } from '../../../src/modules/licenses/issuance.js';
import {
  CheckpointExporter,
  evaluateIssuanceGate,
  isAuthenticCheckpoint,
  IssuanceGate,
  reconcileVault,
  takeVaultCheckpoint,
  type RecoveryDependencies,
} from '../../../src/modules/recovery/index.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { CITIZEN_A } from '../../fixtures/licenses.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
const operator = { id: 'cli:reconcile', role: 'system' };

describe('checkpoints, the restore gate and reconcile', () => {
  let vault: VaultHarness;
  let teacher: LicenseTemplate;
  const signer = ecdsaCheckpointSigner(generateTokenSigningKey());
  const recovery = (store: VaultStore, over: Partial<RecoveryDependencies> = {}): RecoveryDependencies => ({
    store,
    signer,
    archive: new CheckpointDirectory(join(vault.dir, 'checkpoints')),
    marker: new RestoreMarkerFile(vault.dir),
    ...over,
  });
  const issue = async () =>
    (await vault.issuance.issue(issuer, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: CITIZEN_A, name: '李秀英' }, fields: teacher.example.fields }))
      .license;
  const counterOf = async (store: VaultStore) => (await store.licenses.serialLedger()).counters.find((c) => c.scope === teacher.catalogue.typeCode)?.last ?? 0;

  /** The live vault issues 2, is backed up, issues 3 more and is checkpointed; then its disk is lost. Returns the backup opened as a store. */
  const restoredCopy = async (): Promise<{ copy: VaultStore; lost: string[] }> => {
    await issue();
    await issue();
    const backup = join(vault.dir, 'backup.db');
    await backupSqliteDatabase(join(vault.dir, 'vault.db'), backup);
    const lost = [(await issue()).serial, (await issue()).serial, (await issue()).serial];
    await recovery(vault.store).archive.save(await takeVaultCheckpoint(vault.store, signer, vault.clock.now()));
    return { copy: openSqliteStore({ file: backup }), lost };
  };

  beforeEach(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
  });
  afterEach(() => vault.close());

  test('a checkpoint is signed over the audit head and every counter; any change or another key fails it', async () => {
    await issue();
    const checkpoint = await takeVaultCheckpoint(vault.store, signer, vault.clock.now());
    expect(checkpoint.audit.seq).toBe((await vault.store.audit.last())?.seq);
    expect(checkpoint.counters).toEqual(expect.arrayContaining([{ scope: teacher.catalogue.typeCode, issuerCreditCode: TEST_DEPARTMENT.creditCode, last: 1 }]));
    await expect(isAuthenticCheckpoint(checkpoint, signer)).resolves.toBe(true);
    const lowered = { ...checkpoint, counters: checkpoint.counters.map((c) => ({ ...c, last: 0 })) };
    await expect(isAuthenticCheckpoint(lowered, signer)).resolves.toBe(false);
    await expect(isAuthenticCheckpoint(checkpoint, ecdsaCheckpointSigner(generateTokenSigningKey()))).resolves.toBe(false);
  });

  test('the archive keeps one synced file per checkpoint, newest first, prunes old ones and skips unreadable files', async () => {
    const dir = join(vault.dir, 'archive');
    const archive = new CheckpointDirectory(dir, 3);
    for (let minute = 0; minute < 5; minute += 1) {
      vault.clock.set(`2026-11-21T03:0${minute}:00Z`);
      await archive.save(await takeVaultCheckpoint(vault.store, signer, vault.clock.now()));
    }
    writeFileSync(join(dir, 'checkpoint-20261121T040000000Z-9.json'), '{ not json');
    expect(readdirSync(dir).filter((name) => name.endsWith('.json'))).toHaveLength(4);
    expect((await archive.recent(10)).map((c) => c.at)).toEqual(['2026-11-21T03:04:00.000Z', '2026-11-21T03:03:00.000Z', '2026-11-21T03:02:00.000Z']);
    expect(readdirSync(dir).some((name) => name.includes('partial'))).toBe(false);
  });

  test('a store restored from an older copy stops issuance, with nothing stored and no serial spent, until reconcile', async () => {
    const { copy, lost } = await restoredCopy();
    try {
      const deps = recovery(copy);
      const state = await evaluateIssuanceGate(deps);
      expect(state).toEqual({ open: false, reason: expect.stringMatching(/lacks entry \d+ of the checkpoint taken at .*: it is an older or different copy/) });

      const gate = new IssuanceGate(deps, vault.clock);
      const gated = new LicenseIssuance({ ...vault.issuanceDeps, store: copy, gate });
      const licensesBefore = await copy.licenses.count();
      const counterBefore = await counterOf(copy);
      await expect(
        gated.issue(issuer, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: CITIZEN_A, name: '李秀英' }, fields: teacher.example.fields }),
      ).rejects.toMatchObject({
        code: 'ERR_RECONCILE_REQUIRED',
      });
      expect(await copy.licenses.count()).toBe(licensesBefore);
      expect(await counterOf(copy)).toBe(counterBefore);

      const report = await reconcileVault(deps, { margin: 10, actor: operator, now: vault.clock.now() });
      expect(report).toMatchObject({ storeHeldCheckpoint: false, checkpoint: { audit: { seq: expect.any(Number) } } });
      // The checkpoint saw serial 5; the copy only 2: the counter moves to 5 + 10.
      expect(report.raised).toEqual(expect.arrayContaining([{ scope: teacher.catalogue.typeCode, issuerCreditCode: TEST_DEPARTMENT.creditCode, from: 3, through: 15 }]));
      const actions = (await copy.audit.list(0, 1000)).map((entry) => entry.action);
      expect(actions.filter((action) => action === 'serial.skip').length).toBe(report.raised.length);
      expect(actions.at(-1)).toBe('vault.reconcile');

      vault.clock.set(new Date(vault.clock.now().getTime() + 1500).toISOString());
      const next = (
        await gated.issue(issuer, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: CITIZEN_A, name: '李秀英' }, fields: teacher.example.fields })
      ).license;
      expect(next.serial).toBe('00000016');
      expect(lost.every((serial) => serial < next.serial)).toBe(true);
      await expect(evaluateIssuanceGate(deps)).resolves.toEqual({ open: true });

      const fsck = await checkVaultConsistency({
        store: copy,
        verifier: new StrictPdfSignatureVerifier({
          trustedRoots: () => [{ der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) }],
          clock: vault.clock,
        }),
      });
      expect(fsck.checks.filter((check) => !check.ok)).toEqual([]);
    } finally {
      await copy.close();
    }
  });

  test('the restore marker stops issuance even when the store holds the newest checkpoint; reconcile clears it', async () => {
    await issue();
    const deps = recovery(vault.store);
    await deps.archive.save(await takeVaultCheckpoint(vault.store, signer, vault.clock.now()));
    await expect(evaluateIssuanceGate(deps)).resolves.toEqual({ open: true });
    await new RestoreMarkerFile(vault.dir).write({ restoredAt: '2026-11-21T02:30:00.000Z', backup: '/backups/vault-backup.db' });
    await expect(evaluateIssuanceGate(deps)).resolves.toEqual({ open: false, reason: 'the store was restored from /backups/vault-backup.db at 2026-11-21T02:30:00.000Z' });
    const report = await reconcileVault(deps, { margin: 0, actor: operator, now: vault.clock.now() });
    expect(report).toMatchObject({ storeHeldCheckpoint: true, raised: [] });
    await expect(new RestoreMarkerFile(vault.dir).read()).resolves.toBeNull();
    await expect(evaluateIssuanceGate(deps)).resolves.toEqual({ open: true });
  });

  test('checkpoints no key of this vault signed stop issuance; reconcile refuses them unless told to go on without', async () => {
    await issue();
    const foreign = ecdsaCheckpointSigner(generateTokenSigningKey());
    const deps = recovery(vault.store);
    await deps.archive.save(await takeVaultCheckpoint(vault.store, foreign, vault.clock.now()));
    await expect(evaluateIssuanceGate(deps)).resolves.toMatchObject({
      open: false,
      reason: expect.stringContaining("none of the 1 newest checkpoints was signed by this vault's key"),
    });
    await expect(reconcileVault(deps, { margin: 5, actor: operator, now: vault.clock.now() })).rejects.toMatchObject({ code: 'ERR_CHECKPOINT_UNVERIFIABLE' });
    vault.clock.set('2026-11-21T02:10:00Z');
    const report = await reconcileVault(deps, { margin: 5, actor: operator, now: vault.clock.now(), withoutCheckpoint: true });
    expect(report.checkpoint).toBeNull();
    expect(report.raised).toEqual(expect.arrayContaining([{ scope: teacher.catalogue.typeCode, issuerCreditCode: TEST_DEPARTMENT.creditCode, from: 2, through: 6 }]));
    await expect(evaluateIssuanceGate(deps)).resolves.toEqual({ open: true });
  });

  test('the exporter writes a checkpoint only when the audit log moved, and none while issuance is stopped', async () => {
    const deps = recovery(vault.store);
    const gate = new IssuanceGate(deps, vault.clock);
    const exporter = new CheckpointExporter({ ...deps, gate }, vault.clock);
    await expect(exporter.exportIfChanged()).resolves.toBe(true);
    await expect(exporter.exportIfChanged()).resolves.toBe(false);
    await issue();
    vault.clock.set('2026-11-21T02:01:00Z');
    await expect(exporter.exportIfChanged()).resolves.toBe(true);
    expect(await deps.archive.recent(10)).toHaveLength(2);

    const { copy } = await restoredCopy();
    try {
      const copyDeps = recovery(copy);
      const stopped = new CheckpointExporter({ ...copyDeps, gate: new IssuanceGate(copyDeps, vault.clock) }, vault.clock);
      const archived = (await deps.archive.recent(100)).length;
      await expect(stopped.exportIfChanged()).resolves.toBe(false);
      expect(await deps.archive.recent(100)).toHaveLength(archived);
    } finally {
      await copy.close();
    }
  });
});
