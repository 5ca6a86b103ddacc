import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openP12SignerFile } from '../../src/adapters/pki/p12/index.js';
import { certificateUsage, OID } from '../../src/adapters/pki/x509/index.js';
import { runCli } from '../../src/cli/main.js';
import { fixedClock } from '../../src/shared/clock.js';

const NOW = new Date('2026-11-21T08:00:00Z');
const PASSWORD = 'cli-test-password';

describe('license-vault pki', () => {
  let dir: string;
  let output: string;
  const run = (...argv: string[]) => runCli(argv, { out: (text) => void (output += text), env: { VAULT_CERTS_DIR: dir, VAULT_P12_PASSWORD: PASSWORD }, now: () => NOW });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-pki-cli-'));
    output = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('init makes a root CA and trusts it; department certifies a key that signs and chains to it', async () => {
    await expect(run('pki', 'init', '--algorithm', 'ec')).resolves.toBe(0);
    const [rootFile] = readdirSync(join(dir, 'trust'));
    expect(rootFile).toMatch(/^root-[0-9a-f]{16}\.pem$/);
    expect(statSync(join(dir, 'ca', 'root-ca.p12')).mode & 0o777).toBe(0o600);

    await expect(run('pki', 'department', '--credit-code', '91350100m000100y43', '--name', '福州市市场监督管理局')).resolves.toBe(0);
    const keyStore = join(dir, 'departments', '91350100M000100Y43.p12');
    expect(statSync(keyStore).mode & 0o777).toBe(0o600);
    const signer = await openP12SignerFile(keyStore, PASSWORD, fixedClock(NOW.toISOString()));
    expect(signer.algorithm).toBe('RSA-SHA256');
    expect(signer.certificate.subject).toContain('organizationIdentifier=NTRCN-91350100M000100Y43');

    const pem = execFileSync('openssl', ['pkcs12', '-in', keyStore, '-passin', `pass:${PASSWORD}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'dept.pem'), pem);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'trust', rootFile!), join(dir, 'dept.pem')], { encoding: 'utf8' })).toContain(': OK');

    output = '';
    await expect(run('pki', 'list', '--json')).resolves.toBe(0);
    expect(JSON.parse(output)).toMatchObject({ roots: [{ subject: expect.stringContaining('License Vault Root CA') }], departments: ['91350100M000100Y43'] });
  });

  test("platform makes the vault's annotated-copy key: its subject names the platform, its chain reaches the root, it carries the copy-signing purpose", async () => {
    await expect(run('pki', 'init', '--algorithm', 'ec')).resolves.toBe(0);
    await expect(run('pki', 'platform', '--algorithm', 'ec')).resolves.toBe(0);
    const keyStore = join(dir, 'departments', 'vault-platform.p12');
    expect(statSync(keyStore).mode & 0o777).toBe(0o600);
    const signer = await openP12SignerFile(keyStore, PASSWORD, fixedClock(NOW.toISOString()));
    expect(signer.certificate.subject).toBe('CN=电子证照库平台 加注件签章,OU=加注件签章,O=电子证照库,C=CN');
    expect(certificateUsage(signer.certificateChain[0]!).extKeyUsage).toContain(OID.annotatedCopySigning);
    const [rootFile] = readdirSync(join(dir, 'trust'));
    const pem = execFileSync('openssl', ['pkcs12', '-in', keyStore, '-passin', `pass:${PASSWORD}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'platform.pem'), pem);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'trust', rootFile!), join(dir, 'platform.pem')], { encoding: 'utf8' })).toContain(': OK');
    expect(execFileSync('openssl', ['x509', '-in', join(dir, 'platform.pem'), '-noout', '-ext', 'extendedKeyUsage'], { encoding: 'utf8' })).toContain(
      '2.25.208364276034528356812149718211318071282',
    );
    await expect(run('pki', 'platform')).resolves.toBe(1);
  });

  test('--key-name makes a second key store beside the first, for the department to switch its signingKey to', async () => {
    await expect(run('pki', 'init', '--algorithm', 'ec')).resolves.toBe(0);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', '福州市市场监督管理局')).resolves.toBe(0);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', '福州市市场监督管理局', '--key-name', 'fz-2027', '--algorithm', 'ec')).resolves.toBe(0);
    const clock = fixedClock(NOW.toISOString());
    const first = await openP12SignerFile(join(dir, 'departments', '91350100M000100Y43.p12'), PASSWORD, clock);
    const second = await openP12SignerFile(join(dir, 'departments', 'fz-2027.p12'), PASSWORD, clock);
    expect(second.algorithm).toBe('ECDSA-P256-SHA256');
    expect(second.certificate.subject).toContain('organizationIdentifier=NTRCN-91350100M000100Y43');
    expect(second.certificate.fingerprint256).not.toBe(first.certificate.fingerprint256);
    output = '';
    await expect(run('pki', 'list', '--json')).resolves.toBe(0);
    expect(JSON.parse(output)).toMatchObject({ departments: ['91350100M000100Y43', 'fz-2027'] });
    for (const name of ['../escape', 'a/b', '.hidden', '']) {
      await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x', '--key-name', name)).resolves.toBe(2);
    }
  });

  test('refuses to overwrite key stores, to work without a CA, and bad input, with stable codes or usage', async () => {
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x')).resolves.toBe(1);
    await expect(run('pki', 'init')).resolves.toBe(0);
    await expect(run('pki', 'init')).resolves.toBe(1);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y4Z', '--name', 'x')).resolves.toBe(1);
    await expect(run('pki', 'department', '--name', 'x')).resolves.toBe(2);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x', '--algorithm', 'dsa')).resolves.toBe(2);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x', '--bogus')).resolves.toBe(2);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x')).resolves.toBe(0);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x')).resolves.toBe(1);
    await expect(run('pki', 'department', '--credit-code', '91350100M000100Y43', '--name', 'x', '--force')).resolves.toBe(0);
    await expect(run('nothing')).resolves.toBe(2);
  });
});
