import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { runVault, startVault, waitForLine } from '../support/vault-process.js';

describe('the vault process', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vault-e2e-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the build starts as npm start runs it, on the embedded store with no environment beyond its data dir, serves health, stops cleanly on SIGTERM', async () => {
    const child = startVault({ PORT: '0', HOST: '127.0.0.1', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') }, { built: true });
    try {
      const devPki = waitForLine(child, (line) => typeof line.msg === 'string' && line.msg.startsWith('created a DEVELOPMENT PKI'));
      const listening = await waitForLine(child, (line) => line.msg === 'license vault listening');
      await expect(devPki).resolves.toMatchObject({ level: 40 });
      expect(listening).toMatchObject({ store: 'sqlite', level: 30 });
      const base = `http://127.0.0.1:${String(listening.port)}`;

      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      await expect(health.json()).resolves.toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      await expect(ready.json()).resolves.toEqual({ status: 'ready', store: 'sqlite' });
      expect(existsSync(join(dir, 'data', 'vault.db'))).toBe(true);

      const trust = await fetch(`${base}/api/v1/trust`);
      expect(trust.headers.get('content-type')).toContain('application/x-pem-file');
      expect(await trust.text()).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
      const trustJson = (await (await fetch(`${base}/api/v1/trust`, { headers: { Accept: 'application/json' } })).json()) as { roots: { subject: string }[] };
      expect(trustJson.roots).toEqual([expect.objectContaining({ subject: expect.stringContaining('Development Root CA') })]);
      expect(existsSync(join(dir, 'certs', 'departments'))).toBe(true);

      // The README's walkthrough: demo credentials → token → issue → look up.
      const credentials = JSON.parse(readFileSync(join(dir, 'data', 'demo-credentials.json'), 'utf8')) as { accounts: { role: string; clientId: string; clientSecret: string }[] };
      expect(statSync(join(dir, 'data', 'demo-credentials.json')).mode & 0o777).toBe(0o600);
      const tokenOf = async (role: string) => {
        const account = credentials.accounts.find((a) => a.role === role);
        const res = await fetch(`${base}/api/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: account?.clientId, clientSecret: account?.clientSecret }),
        });
        return ((await res.json()) as { accessToken: string }).accessToken;
      };
      const issued = await fetch(`${base}/api/v1/licenses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf('issuer')}` },
        body: JSON.stringify({
          licenseType: '11100000000013338W001',
          holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
          fields: { sex: '女', ethnicity: '汉族', birthDate: '1949-12-31', qualificationType: '高级中学教师资格', subject: '数学' },
        }),
      });
      expect(issued.status).toBe(201);
      const found = await fetch(`${base}/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent('办理入职审核')}`, {
        headers: { authorization: `Bearer ${await tokenOf('clerk')}` },
      });
      expect(((await found.json()) as { items: unknown[] }).items).toHaveLength(1);

      const stopped = waitForLine(child, (line) => line.msg === 'stopped');
      child.kill('SIGTERM');
      await stopped;
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('from source, as npm run dev runs it, licenses render and verify on the worker threads', async () => {
    const vault = await runVault(dir);
    try {
      const issuer = { authorization: `Bearer ${await vault.tokenFor('issuer')}` };
      const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { example: unknown }[] };
      const issued = await fetch(`${vault.base}/api/v1/licenses`, {
        method: 'POST',
        headers: { ...issuer, 'content-type': 'application/json' },
        body: JSON.stringify(catalogue.items[0]?.example),
      });
      expect(issued.status).toBe(201);
      const { identifier } = (await issued.json()) as { identifier: string };
      const pdf = Buffer.from(
        await (await fetch(`${vault.base}/api/v1/licenses/${encodeURIComponent(identifier)}/pdf?purpose=${encodeURIComponent('窗口核验取件')}`, { headers: issuer })).arrayBuffer(),
      );
      // One byte appended: not the issued bytes, so the signature is checked on a worker thread.
      const form = new FormData();
      form.append('file', new Blob([Buffer.concat([pdf, Buffer.from('\n')])]), 'license.pdf');
      const verdict = (await (await fetch(`${vault.base}/api/v1/verifications`, { method: 'POST', body: form })).json()) as {
        result: string;
        checks: { name: string; ok: boolean }[];
      };
      expect(verdict.result).toBe('tampered');
      expect(verdict.checks.find((check) => !check.ok && check.name !== 'issued-file')?.name).toBe('whole-file');
    } finally {
      await vault.stop();
    }
  });

  test('a malformed template stops start-up naming the file and the field', async () => {
    mkdirSync(join(dir, 'templates', 'broken'), { recursive: true });
    writeFileSync(join(dir, 'templates', 'broken', 'v1.json'), JSON.stringify({ id: 'broken', version: 1 }));
    const child = startVault({ PORT: '0', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs'), VAULT_TEMPLATES_DIR: join(dir, 'templates') });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toMatch(/ERR_TEMPLATE_INVALID: .*broken[/\\]v1\.json: catalogue: /);
  });

  test('a bad variable stops start-up with exit code 1 and names the variable', async () => {
    const child = startVault({ PORT: 'eighty', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toContain('ERR_CONFIG_INVALID: PORT: must be a whole number');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
