import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CrashRig } from '../support/crash-runs.js';
import type { RunningVault } from '../support/vault-process.js';

const LICENSES = 1000;
const CLIENTS_PER_VAULT = 4;
const VERIFIERS = 4;

/**
 * Two vault processes on one SQLite file, as two API nodes sharing a disk:
 * together they issue 1,000 licenses with no serial twice and no busy error
 * reaching a client, and a revoke on one is seen by every verification on
 * the other that starts after the revoke was answered.
 */
describe('two vault processes on one SQLite file', () => {
  let dir: string;
  let rig: CrashRig;
  let vaults: RunningVault[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-two-'));
    rig = new CrashRig(dir);
    // The first start creates the PKI and the demo accounts; the second finds them.
    const unlimited = { VAULT_VERIFICATIONS_PER_MINUTE: '1000000' };
    const first = await rig.start(undefined, unlimited);
    vaults = [first, await rig.start(undefined, unlimited)];
  }, 60_000);
  afterAll(async () => {
    await Promise.all((vaults ?? []).map((vault) => vault.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  test(`issue ${LICENSES} licenses together: every request answered, no serial or license number twice`, async () => {
    let sent = 0;
    const failures: string[] = [];
    const client = async (vault: RunningVault): Promise<void> => {
      while (sent < LICENSES) {
        sent += 1;
        try {
          if (!(await rig.issue(vault, rig.fresh()))) failures.push('no answer');
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all(vaults.flatMap((vault) => Array.from({ length: CLIENTS_PER_VAULT }, () => client(vault))));
    process.stdout.write(`[two-processes] ${rig.acknowledged.size} licenses from 2 processes on one file, ${failures.length} failed requests\n`);
    expect(failures).toEqual([]);
    expect(rig.acknowledged.size).toBe(LICENSES);

    const db = new Database(join(dir, 'data', 'vault.db'), { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM licenses')).toBe(LICENSES);
      expect(count('SELECT count(DISTINCT type_code || issuer_credit_code || serial) AS n FROM licenses')).toBe(LICENSES);
      expect(count('SELECT count(DISTINCT issuer_credit_code || license_number) AS n FROM licenses')).toBe(LICENSES);
    } finally {
      db.close();
    }
    const fsck = await rig.fsck();
    expect(fsck.output).toMatch(/^CONSISTENT/);
    expect(fsck.code).toBe(0);
  }, 240_000);

  test('after a revoke on one process returns, every verification on the other says revoked', async () => {
    const [issuing, verifying] = vaults as [RunningVault, RunningVault];
    const request = rig.fresh();
    expect(await rig.issue(issuing, request)).toBe('issued');
    const { identifier } = rig.acknowledged.get(request.key)!;
    const issuer = { authorization: `Bearer ${await issuing.tokenFor('issuer')}` };
    const license = (await (
      await fetch(`${issuing.base}/api/v1/licenses/${encodeURIComponent(identifier)}?purpose=${encodeURIComponent('核对证照状态')}`, { headers: issuer })
    ).json()) as { links: { verify: string } };
    // The QR link, asked of the other process.
    const qr = new URL(license.links.verify);
    const link = `${verifying.base}${qr.pathname}${qr.search}`;
    expect(((await (await fetch(link, { headers: { accept: 'application/json' } })).json()) as { result: string }).result).toBe('authentic');

    let revokedAt: number | null = null;
    const late: string[] = [];
    let checked = 0;
    let answeredBefore = 0;
    let allAnswered!: () => void;
    /** Every verifier has had one answer before the revoke is sent. */
    const allVerifying = new Promise<void>((resolve) => (allAnswered = resolve));
    const verifier = async (): Promise<void> => {
      let first = true;
      while (revokedAt === null || checked < 200) {
        const started = performance.now();
        const response = await fetch(link, { headers: { accept: 'application/json' } });
        const { result } = (await response.json()) as { result?: string };
        if (revokedAt !== null && started > revokedAt) {
          checked += 1;
          if (response.status !== 200 || result !== 'revoked') late.push(`${response.status} ${result ?? 'no result'}`);
        }
        if (first) {
          first = false;
          answeredBefore += 1;
          if (answeredBefore === VERIFIERS) allAnswered();
        }
      }
    };
    const verifiers = Array.from({ length: VERIFIERS }, verifier);
    await allVerifying;
    const revoke = await fetch(`${issuing.base}/api/v1/licenses/${encodeURIComponent(identifier)}/revoke`, {
      method: 'POST',
      headers: { ...issuer, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '以欺骗手段取得' }),
    });
    revokedAt = performance.now();
    expect(revoke.status).toBe(200);
    await Promise.all(verifiers);
    process.stdout.write(`[two-processes] ${checked} verifications started after the revoke returned: ${checked - late.length} said revoked, ${late.length} did not\n`);
    expect(late).toEqual([]);
  }, 60_000);
});
