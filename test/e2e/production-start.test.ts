import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVault, waitForLine } from '../support/vault-process.js';

describe('the vault process with NODE_ENV=production', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vault-prod-e2e-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('with the development defaults it exits 1 with one line naming every reason, having created nothing', async () => {
    const child = startVault({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^license-vault failed to start: ERR_CONFIG_UNSAFE: NODE_ENV=production refuses to start: /);
    for (const variable of ['VAULT_DEMO_SETUP', 'VAULT_DEV_PKI', 'VAULT_PUBLIC_URL', 'VAULT_P12_PASSWORD']) expect(lines[0]).toContain(variable);
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(existsSync(join(dir, 'certs'))).toBe(false);
  });

  test('configured for production it starts', async () => {
    const child = startVault({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      VAULT_DATA_DIR: join(dir, 'data'),
      VAULT_CERTS_DIR: join(dir, 'certs'),
      VAULT_DEMO_SETUP: 'off',
      VAULT_DEV_PKI: 'off',
      VAULT_PUBLIC_URL: 'https://zzk.example.gov.cn',
      VAULT_P12_PASSWORD: 'a long enough password',
      VAULT_TRUST_PROXY: 'loopback',
    });
    try {
      const listening = await waitForLine(child, (line) => line.msg === 'license vault listening');
      const base = `http://127.0.0.1:${String(listening.port)}`;
      // Behind a TLS-terminating proxy on this host: HSTS, as the proxy says the client used https.
      const overHttps = await fetch(`${base}/healthz`, { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(overHttps.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect((await fetch(`${base}/healthz`)).headers.get('strict-transport-security')).toBeNull();
      const stopped = waitForLine(child, (line) => line.msg === 'stopped');
      child.kill('SIGTERM');
      await stopped;
    } finally {
      child.kill('SIGKILL');
    }
  });
});
