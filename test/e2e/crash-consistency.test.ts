import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISSUANCE_POINTS } from '../../src/modules/licenses/issuance.js';
import { CrashRig, exited } from '../support/crash-runs.js';
import { seededRandom, seedFor } from '../support/seeded-random.js';

/** Runs per named failpoint and at random moments: the issue asks for at least 10 and 50. */
const RUNS_PER_POINT = 10;
const RANDOM_RUNS = 50;
const CONCURRENT_CLIENTS = 4;
/** Random kills fall this long after the run's first license is answered (issuance is then under way, however loaded the machine), in ms. */
const KILL_WINDOW = { from: 0, to: 400 };

/**
 * The built vault issues licenses and is killed with SIGKILL, at named points
 * of an issuance (VAULT_FAILPOINT) and at random moments under concurrent
 * load. After every restart `license-vault fsck` must pass; once every request
 * cut off has been retried with its Idempotency-Key, the store must hold
 * exactly the licenses answered, one per request. Each scenario runs on a
 * vault of its own and checks its own totals, so it passes alone (`-t`).
 * The random kill times come from a seed that is printed (CRASH_SEED replays it).
 */
describe('crash consistency', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A rig on a fresh vault, and a count of the restarts fsck found consistent. */
  function scenario(): { rig: CrashRig; restarts: { total: number; consistent: number }; afterRestart(): Promise<void> } {
    const dir = mkdtempSync(join(tmpdir(), 'vault-crash-'));
    dirs.push(dir);
    const rig = new CrashRig(dir);
    const restarts = { total: 0, consistent: 0 };
    const afterRestart = async (): Promise<void> => {
      restarts.total += 1;
      const fsck = await rig.fsck();
      if (fsck.code === 0) restarts.consistent += 1;
      else throw new Error(`fsck after restart ${restarts.total} failed:\n${fsck.output}`);
    };
    return { rig, restarts, afterRestart };
  }

  /** A last restart: fsck, every request cut off retried; then the store holds what was answered, once each. */
  async function settle(rig: CrashRig, afterRestart: () => Promise<void>, label: string): Promise<void> {
    const vault = await rig.start();
    try {
      await afterRestart();
      await rig.retryPending(vault);
    } finally {
      await vault.stop();
    }
    const { lost, duplicated } = rig.audit();
    process.stdout.write(
      `[crash-consistency] ${label}: ${rig.acknowledged.size} licenses answered, ${rig.storedCount()} stored, ${lost.length} answered-but-lost, ${duplicated.length} duplicates; ${rig.retries.replayed} retries answered with the license committed before the crash, ${rig.retries.issued} issued then\n`,
    );
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(rig.pending).toEqual([]);
    expect(rig.storedCount()).toBe(rig.acknowledged.size);
    expect((await rig.fsck()).code).toBe(0);
  }

  test.each(ISSUANCE_POINTS)(
    `killed at %s, ${RUNS_PER_POINT} times`,
    async (point) => {
      const { rig, restarts, afterRestart } = scenario();
      for (let run = 0; run < RUNS_PER_POINT; run += 1) {
        // The second issuance reaching the point dies, so the first (a retry, or a fresh request) completes.
        const vault = await rig.start(`${point}:2`);
        await afterRestart();
        await rig.retryPending(vault);
        let died = false;
        for (let attempt = 0; attempt < 3 && !died; attempt += 1) died = !(await rig.issue(vault, rig.fresh()));
        expect(died).toBe(true);
        await exited(vault);
        expect(vault.child.signalCode).toBe('SIGKILL');
        expect(rig.pending).toHaveLength(1);
      }
      await settle(rig, afterRestart, point);
      expect(restarts).toEqual({ total: RUNS_PER_POINT + 1, consistent: RUNS_PER_POINT + 1 });
      // Each run cut off one request. Killed after its commit, its retry gets the license stored then; before, the retry issues it.
      const committed = point === 'after-commit';
      expect(rig.retries).toEqual({ replayed: committed ? RUNS_PER_POINT : 0, issued: committed ? 0 : RUNS_PER_POINT });
      // Before the commit, a retry is the first issuance of the next run and the one after it dies: one license per run, plus the first.
      // After it, a replay issues nothing: each run completes one fresh request and commits the one that dies.
      expect(rig.acknowledged.size).toBe(committed ? 2 * RUNS_PER_POINT : RUNS_PER_POINT + 1);
    },
    180_000,
  );

  test(`killed at random moments under ${CONCURRENT_CLIENTS} concurrent clients, ${RANDOM_RUNS} times`, async () => {
    const random = seededRandom(seedFor('crash-consistency', 'CRASH_SEED'));
    const { rig, restarts, afterRestart } = scenario();
    for (let run = 0; run < RANDOM_RUNS; run += 1) {
      const killAfter = KILL_WINDOW.from + random() * (KILL_WINDOW.to - KILL_WINDOW.from);
      const vault = await rig.start();
      await afterRestart();
      await rig.retryPending(vault);
      let killed = false;
      const client = async (): Promise<void> => {
        while (!killed) await rig.issue(vault, rig.fresh());
      };
      const answered = rig.acknowledged.size;
      const clients = Array.from({ length: CONCURRENT_CLIENTS }, client);
      await rig.untilAcknowledged(answered + 1);
      // The kill at a chosen moment is the test itself, not a wait for something.
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      killed = true;
      vault.child.kill('SIGKILL');
      await Promise.all(clients);
      await exited(vault);
    }
    await settle(rig, afterRestart, 'random kills');
    expect(restarts).toEqual({ total: RANDOM_RUNS + 1, consistent: RANDOM_RUNS + 1 });
    // Kills under load cut requests off mid-flight; each was retried, and is counted in one of the two.
    expect(rig.retries.replayed + rig.retries.issued).toBeGreaterThan(0);
  }, 900_000);
});
