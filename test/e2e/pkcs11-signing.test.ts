/**
 * @jest-environment ./test/support/softhsm-environment.ts
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../../src/cli/main.js';
import { DEMO_DEPARTMENT } from '../../src/modules/departments/index.js';
import { createSoftHsm, SOFTHSM_LIBRARY, TEST_HSM_SO_PIN, TEST_HSM_USER_PIN, type SoftHsm } from '../support/softhsm.js';
import { Validators } from '../support/validators.js';
import { runVault, type RunningVault } from '../support/vault-process.js';

/** TEST FIXTURE password of the root CA key store. */
const P12_PASSWORD = 'pkcs11-e2e-fixture-password';
/** TEST FIXTURE: a PIN the token does not have until its security officer sets it. */
const OTHER_PIN = 'fixture-other-pin';
const LABEL = 'vault-e2e';

interface Stored {
  readonly licenses: number;
  readonly files: number;
  readonly issueEntries: number;
  readonly idempotencyKeys: number;
}

/** A vault process on SoftHSM, with every JSON line it logs. */
interface Observed {
  readonly vault: RunningVault;
  readonly lines: Record<string, unknown>[];
  output(): string;
  /** Resolves once `ready()` holds, looked at as each line comes in; rejects if the vault's output ends first. */
  until(ready: () => boolean): Promise<void>;
}

describe('issuing with department keys in a PKCS#11 token (VAULT_SIGNER=pkcs11, SoftHSM2)', () => {
  let dir: string;
  let hsm: SoftHsm;
  let validators: Validators;
  let example: Record<string, unknown>;
  let holderSeq = 0;

  const cliEnv = () => ({
    VAULT_DATA_DIR: join(dir, 'data'),
    VAULT_CERTS_DIR: join(dir, 'certs'),
    VAULT_P12_PASSWORD: P12_PASSWORD,
    VAULT_PKCS11_LIBRARY: SOFTHSM_LIBRARY,
    VAULT_PKCS11_TOKEN_LABEL: LABEL,
    VAULT_PKCS11_PIN: TEST_HSM_USER_PIN,
  });
  const cli = async (...argv: string[]): Promise<{ code: number; output: string }> => {
    let output = '';
    const code = await runCli(argv, { out: (text) => void (output += text), env: cliEnv(), now: () => new Date() });
    return { code, output };
  };

  const stored = (): Stored => {
    const db = new Database(join(dir, 'data', 'vault.db'), { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        licenses: count('SELECT count(*) AS n FROM licenses'),
        files: count('SELECT count(*) AS n FROM license_files'),
        issueEntries: count("SELECT count(*) AS n FROM audit_log WHERE action = 'license.issue'"),
        idempotencyKeys: count('SELECT count(*) AS n FROM idempotency_keys'),
      };
    } finally {
      db.close();
    }
  };

  async function start(pin: string): Promise<Observed> {
    const vault = await runVault(dir, {
      ...hsm.env,
      VAULT_P12_PASSWORD: P12_PASSWORD,
      VAULT_SIGNER: 'pkcs11',
      VAULT_PKCS11_LIBRARY: SOFTHSM_LIBRARY,
      VAULT_PKCS11_TOKEN_LABEL: LABEL,
      VAULT_PKCS11_PIN: pin,
      VAULT_WORKER_THREADS: '1',
    });
    const lines: Record<string, unknown>[] = [];
    const watchers = new Set<() => void>();
    let text = '';
    let partial = '';
    vault.child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) lines.push(JSON.parse(part) as Record<string, unknown>);
      for (const watcher of watchers) watcher();
    });
    vault.child.stderr.on('data', (chunk: Buffer) => void (text += chunk.toString('utf8')));
    const until = (ready: () => boolean): Promise<void> =>
      new Promise((resolve, reject) => {
        const done = (): void => {
          watchers.delete(check);
          vault.child.off('close', ended);
        };
        const check = (): void => {
          if (!ready()) return;
          done();
          resolve();
        };
        const ended = (): void => {
          done();
          reject(new Error('the vault stopped before logging what was awaited'));
        };
        watchers.add(check);
        vault.child.once('close', ended);
        check();
      });
    return { vault, lines, output: () => text, until };
  }

  /** POST /api/v1/licenses for a holder no other request uses, with an Idempotency-Key. */
  async function issue(vault: RunningVault, key: string): Promise<{ status: number; contentType: string | null; body: Record<string, unknown> }> {
    holderSeq += 1;
    const holder = { ...(example.holder as Record<string, unknown>), name: `持证人${holderSeq}` };
    const res = await fetch(`${vault.base}/api/v1/licenses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await vault.tokenFor('issuer')}`, 'idempotency-key': key },
      body: JSON.stringify({ ...example, holder }),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  }

  const signerFailures = (observed: Observed) => observed.lines.filter((line) => line.msg === 'PKCS#11 signer failed');
  /** The vault's log lines come through a pipe and may trail its HTTP answer: waits until `count` failure lines are in. */
  const failuresLogged = async (observed: Observed, count: number): Promise<Record<string, unknown>[]> => {
    await observed.until(() => signerFailures(observed).length >= count);
    return signerFailures(observed);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-pkcs11-e2e-'));
    hsm = createSoftHsm();
    hsm.createToken(LABEL);
    // As an operator would: the root CA (a key store), then the demo department's key made in the token.
    expect(await cli('pki', 'init')).toMatchObject({ code: 0 });
    expect(await cli('pki', 'department', '--credit-code', DEMO_DEPARTMENT.creditCode, '--name', DEMO_DEPARTMENT.name, '--algorithm', 'ec', '--pkcs11')).toMatchObject({ code: 0 });
    const trustDir = join(dir, 'certs', 'trust');
    validators = new Validators(readdirSync(trustDir).map((file) => readFileSync(join(trustDir, file), 'utf8')));
  });
  afterAll(() => {
    validators.dispose();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a license signed in the token passes pdfsig and openssl; the token pulled out mid-issuance, then missing, gives 503s that store nothing; back in, issuance resumes', async () => {
    const observed = await start(TEST_HSM_USER_PIN);
    const { vault } = observed;
    try {
      const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { example: Record<string, unknown> }[] };
      example = catalogue.items[0]!.example;

      const first = await issue(vault, 'pkcs11-1');
      expect(first.status).toBe(201);
      const identifier = String(first.body.identifier);
      const pdf = new Uint8Array(
        await (
          await fetch(`${vault.base}/api/v1/licenses/${encodeURIComponent(identifier)}/pdf?purpose=${encodeURIComponent('核验签名')}`, {
            headers: { authorization: `Bearer ${await vault.tokenFor('issuer')}` },
          })
        ).arrayBuffer(),
      );
      const report = validators.pdfsig(pdf);
      expect(report).toContain('Signature Validation: Signature is Valid.');
      expect(report).toContain('Certificate Validation: Certificate is Trusted.');
      expect(report).toContain('Total document signed');
      expect(report).toContain(`Signer full Distinguished Name: CN=${DEMO_DEPARTMENT.name}`);
      expect(validators.opensslVerify(pdf)).toMatchObject({ ok: true, output: expect.stringContaining('Verification successful') });
      const afterFirst = stored();
      expect(afterFirst).toEqual({ licenses: 1, files: 1, issueEntries: 1, idempotencyKeys: 1 });

      // The signer is open and cached: the token vanishes under it, so the failure comes at C_Sign time, after the serial.
      const pulled = hsm.removeToken(LABEL);
      const midIssuance = await issue(vault, 'pkcs11-2');
      expect(midIssuance).toMatchObject({ status: 503, contentType: 'application/problem+json; charset=utf-8', body: { code: 'ERR_SIGNER_UNAVAILABLE', status: 503 } });
      expect(stored()).toEqual(afterFirst);
      expect(await failuresLogged(observed, 1)).toEqual([
        expect.objectContaining({ level: 50, code: 'ERR_SIGNER_UNAVAILABLE', token: LABEL, detail: expect.stringMatching(/C_Sign(Init)? failed on token "vault-e2e": CKR_/) }),
      ]);

      const missing = await issue(vault, 'pkcs11-3');
      expect(missing).toMatchObject({ status: 503, body: { code: 'ERR_SIGNER_TOKEN_MISSING' } });
      expect(stored()).toEqual(afterFirst);
      expect(await failuresLogged(observed, 2)).toHaveLength(2);
      expect(signerFailures(observed)[1]).toMatchObject({ code: 'ERR_SIGNER_TOKEN_MISSING', detail: expect.stringContaining(`no PKCS#11 token labelled "${LABEL}"`) });

      pulled.restore();
      // The retry of the request cut off mid-issuance issues once; so does a new one.
      const retried = await issue(vault, 'pkcs11-2');
      expect(retried.status).toBe(201);
      expect((await issue(vault, 'pkcs11-4')).status).toBe(201);
      expect(stored()).toEqual({ licenses: 3, files: 3, issueEntries: 3, idempotencyKeys: 3 });
      expect(signerFailures(observed)).toHaveLength(2);
      expect(observed.output()).not.toContain(TEST_HSM_USER_PIN);
    } finally {
      await vault.stop();
    }
    const fsck = await cli('fsck');
    expect(fsck.output).toMatch(/^CONSISTENT: 3 licenses/);
    // The serial and the license number the issuance cut off by the token had taken stay reserved, never stored: gaps fsck explains.
    expect(fsck.output).toContain('2 reserved but never stored');
    expect(fsck.code).toBe(0);
  });

  test('a PIN the token refuses gives 503 ERR_SIGNER_PIN and stores nothing; once the security officer sets that PIN, the same process issues', async () => {
    const before = stored();
    const observed = await start(OTHER_PIN);
    const { vault } = observed;
    try {
      const refused = await issue(vault, 'pin-1');
      expect(refused).toMatchObject({
        status: 503,
        contentType: 'application/problem+json; charset=utf-8',
        body: { code: 'ERR_SIGNER_PIN', detail: expect.stringContaining('CKR_PIN_INCORRECT') },
      });
      expect(stored()).toEqual(before);
      expect(await failuresLogged(observed, 1)).toEqual([expect.objectContaining({ level: 50, code: 'ERR_SIGNER_PIN', token: LABEL })]);

      hsm.run('pkcs11-tool', [
        '--module',
        SOFTHSM_LIBRARY,
        '--token-label',
        LABEL,
        '--login',
        '--login-type',
        'so',
        '--so-pin',
        TEST_HSM_SO_PIN,
        '--init-pin',
        '--new-pin',
        OTHER_PIN,
      ]);
      const issued = await issue(vault, 'pin-1');
      expect(issued.status).toBe(201);
      expect(stored()).toEqual({
        ...before,
        licenses: before.licenses + 1,
        files: before.files + 1,
        issueEntries: before.issueEntries + 1,
        idempotencyKeys: before.idempotencyKeys + 1,
      });
      expect(signerFailures(observed)).toHaveLength(1);
      expect(observed.output()).not.toContain(OTHER_PIN);
      expect(observed.output()).not.toContain(TEST_HSM_USER_PIN);
    } finally {
      await vault.stop();
    }
    const fsck = await cli('fsck');
    expect(fsck.code).toBe(0);
  });
});
