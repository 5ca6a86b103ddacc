import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { parseLicenseIdentifier } from '../../src/modules/identity/index.js';
import { CrashRig, exited } from '../support/crash-runs.js';

const run = promisify(execFile);

/** The built CLI as an operator runs it, in its own process, on the vault under `dir`. */
async function cli(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['dist/cli/main.js', ...args], {
      env: { PATH: process.env.PATH ?? '', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const licenseCount = (dir: string): number => {
  const db = new Database(join(dir, 'data', 'vault.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM licenses').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Every serial the licenses stored under `dir` hold. */
const storedSerials = (dir: string): string[] => {
  const db = new Database(join(dir, 'data', 'vault.db'), { readonly: true });
  try {
    return (db.prepare('SELECT serial FROM licenses').all() as { serial: string }[]).map((row) => row.serial);
  } finally {
    db.close();
  }
};

/**
 * Resolves with the name of the first checkpoint in `dir` past audit entry `seq`: the vault writes one every
 * VAULT_CHECKPOINT_SECONDS while its audit log moves, named `checkpoint-{instant}-{seq}.json`, renamed in whole.
 */
function checkpointPast(dir: string, seq: number): Promise<string> {
  const isPast = (name: string): boolean => Number(/^checkpoint-\d{8}T\d{9}Z-(\d+)\.json$/.exec(name)?.[1] ?? -1) > seq;
  mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    const found = (name: string): void => {
      watcher.close();
      resolve(name);
    };
    const watcher = watch(dir, (_event, name) => {
      if (name !== null && isPast(name)) found(name);
    });
    watcher.on('error', reject);
    // It may have been written before the watch began.
    const there = readdirSync(dir).find(isPast);
    if (there !== undefined) found(there);
  });
}

/**
 * The drill: back up while licenses are being issued, go on issuing, lose the
 * machine; restore into an empty data directory, check it with fsck, find
 * issuance stopped until `reconcile`, and issue from the restored vault with
 * no serial the lost machine handed out.
 */
describe('backup and restore drill', () => {
  let work: string;
  beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vault-drill-'))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('a backup taken under load restores to a consistent vault that issues again, after reconcile, with no serial reused', async () => {
    const live = new CrashRig(join(work, 'live'));
    const vault = await live.start(undefined, { VAULT_CHECKPOINT_SECONDS: '1' });
    const backupFile = join(work, 'vault-backup.db');
    let loading = true;
    const clients = Array.from({ length: 4 }, async () => {
      while (loading) await live.issue(vault, live.fresh());
    });
    try {
      await live.untilAcknowledged(20);
      const before = live.acknowledged.size;
      const backup = await cli(live.dir, 'backup', backupFile);
      const duringBackup = live.acknowledged.size - before;
      await live.untilAcknowledged(live.acknowledged.size + 10);
      // A checkpoint newer than the backup, then the machine is lost, mid-issuance.
      const backupSeq = Number(/audit head seq (\d+)/.exec(backup.out)?.[1]);
      expect(backupSeq).toBeGreaterThan(0);
      await checkpointPast(join(live.dir, 'data-checkpoints'), backupSeq);
      vault.child.kill('SIGKILL');
      await exited(vault);
      loading = false;
      await Promise.all(clients);
      expect(backup).toMatchObject({ code: 0, out: expect.stringMatching(/^backed up to .*: \d+ licenses, \d+ pages, audit head seq \d+ [0-9a-f]{64}\n$/) });
      process.stdout.write(`[backup-drill] ${licenseCount(live.dir)} licenses issued in all, ${duringBackup} answered while the backup ran; ${backup.out}`);
      expect(await cli(live.dir, 'backup', backupFile)).toMatchObject({ code: 1, out: expect.stringContaining('ERR_BACKUP_EXISTS') });
    } finally {
      loading = false;
      await vault.stop();
    }

    // Another machine: the keys and the checkpoints come from their own safe places, the data from the backup.
    const restored = new CrashRig(join(work, 'restored'), 1_000_000);
    cpSync(join(live.dir, 'certs'), join(restored.dir, 'certs'), { recursive: true });
    cpSync(join(live.dir, 'data-checkpoints'), join(restored.dir, 'data-checkpoints'), { recursive: true });
    const handedOut = storedSerials(live.dir);
    const restore = await cli(restored.dir, 'restore', backupFile);
    expect(restore.code).toBe(0);
    const inBackup = licenseCount(restored.dir);
    expect(inBackup).toBeGreaterThanOrEqual(20);
    expect(inBackup).toBeLessThan(licenseCount(live.dir));
    expect(await cli(restored.dir, 'restore', backupFile)).toMatchObject({ code: 1, out: expect.stringContaining('ERR_RESTORE_TARGET_NOT_EMPTY') });

    const fsck = await cli(restored.dir, 'fsck');
    expect(fsck.out).toMatch(/^CONSISTENT: \d+ licenses/);
    expect(fsck.code).toBe(0);

    // The demo accounts' secrets were printed to a file of the old data directory, not kept in the database.
    cpSync(join(live.dir, 'data', 'demo-credentials.json'), join(restored.dir, 'data', 'demo-credentials.json'));
    const again = await restored.start();
    try {
      const refused = await restored.send(again, restored.fresh());
      expect(refused).toMatchObject({ status: 503, body: { code: 'ERR_RECONCILE_REQUIRED' } });
      expect(licenseCount(restored.dir)).toBe(inBackup);

      const reconcile = await cli(restored.dir, 'reconcile');
      expect(reconcile.out).toMatch(/the store lacks it \(its audit log ends at entry \d+\)/);
      expect(reconcile.code).toBe(0);
      process.stdout.write(`[backup-drill] lost with the machine: ${handedOut.length - inBackup} licenses; ${reconcile.out}`);

      // The running vault looks again at most a second later. It says nothing when it does: polled, for up to 5 s.
      let outcome = await restored.send(again, restored.fresh());
      for (let tries = 0; outcome?.status === 503 && tries < 20; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        outcome = await restored.send(again, restored.fresh());
      }
      expect(outcome).toMatchObject({ status: 201 });
      const serial = parseLicenseIdentifier(String(outcome?.body.identifier)).serial;
      expect(handedOut.filter((lost) => lost >= serial)).toEqual([]);
    } finally {
      await again.stop();
    }
    expect(licenseCount(restored.dir)).toBe(inBackup + 1);
    expect((await cli(restored.dir, 'fsck')).code).toBe(0);
  }, 120_000);
});
