/**
 * @jest-environment ./test/support/softhsm-environment.ts
 */
import { execFileSync } from 'node:child_process';
import { verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CK, Pkcs11Library, Pkcs11SignerProvider, Pkcs11Token } from '../../src/adapters/pki/pkcs11/index.js';
import { keyIdentifierOf, readCertificates, spkiDer } from '../../src/adapters/pki/x509/index.js';
import { runCli } from '../../src/cli/main.js';
import { fixedClock } from '../../src/shared/clock.js';
import { capturedLogger } from '../support/log-capture.js';
import { createSoftHsm, SOFTHSM_LIBRARY, TEST_HSM_USER_PIN, type SoftHsm } from '../support/softhsm.js';

const NOW = new Date('2026-11-21T08:00:00Z');
/** TEST FIXTURE password of the root CA key store. */
const PASSWORD = 'cli-test-password';
const LABEL = 'vault-cli-test';
const CODE = '91350100M000100Y43';

describe('license-vault pki department --pkcs11', () => {
  let dir: string;
  let hsm: SoftHsm;
  let output: string;
  let errors: string;
  const env = (extra: Record<string, string> = {}) => ({
    VAULT_CERTS_DIR: dir,
    VAULT_P12_PASSWORD: PASSWORD,
    VAULT_PKCS11_LIBRARY: SOFTHSM_LIBRARY,
    VAULT_PKCS11_TOKEN_LABEL: LABEL,
    VAULT_PKCS11_PIN: TEST_HSM_USER_PIN,
    ...extra,
  });
  const run = (argv: string[], extra: Record<string, string> = {}) => runCli(argv, { out: (text) => void (output += text), env: env(extra), now: () => NOW });
  const privateKeysOnToken = async (): Promise<Buffer[]> => {
    const library = new Pkcs11Library(SOFTHSM_LIBRARY);
    try {
      const token = await Pkcs11Token.open(await library.connection(), { label: LABEL, pin: TEST_HSM_USER_PIN });
      const handles = await token.findObjects([{ type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY }]);
      const ids = await Promise.all(handles.map(async (handle) => (await token.attributes(handle, [CK.CKA_ID])).get(CK.CKA_ID)!));
      token.close();
      return ids;
    } finally {
      await library.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-pki-pkcs11-cli-'));
    hsm = createSoftHsm();
    hsm.createToken(LABEL);
    output = '';
    errors = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      errors += String(text);
      return true;
    });
    await expect(run(['pki', 'init'])).resolves.toBe(0);
    output = '';
  });
  afterEach(() => {
    jest.restoreAllMocks();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['rsa', 'RSA-SHA256'],
    ['ec', 'ECDSA-P256-SHA256'],
  ])('--algorithm %s makes the key in the token, writes a public chain openssl verifies, and the vault signs with it', async (algorithm, signatureAlgorithm) => {
    await expect(run(['pki', 'department', '--credit-code', CODE.toLowerCase(), '--name', '福州市市场监督管理局', '--algorithm', algorithm, '--pkcs11'])).resolves.toBe(0);
    const chainFile = join(dir, 'departments', `${CODE}.pem`);
    expect(output).toContain(`made in token "${LABEL}"`);
    expect(output).toContain(chainFile);
    expect(statSync(chainFile).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(dir, 'departments'))).toEqual([`${CODE}.pem`]);
    expect(readFileSync(chainFile, 'utf8')).not.toContain('PRIVATE KEY');

    const [rootFile] = readdirSync(join(dir, 'trust'));
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'trust', rootFile!), chainFile], { encoding: 'utf8' })).toContain(': OK');
    const chain = readCertificates(readFileSync(chainFile));
    const publicKey = new X509Certificate(chain[0]!).publicKey;
    expect(new X509Certificate(chain[0]!).subject).toContain(`serialNumber=${CODE}`);

    const keyIds = await privateKeysOnToken();
    expect(keyIds.map((id) => id.toString('hex'))).toEqual([Buffer.from(keyIdentifierOf(spkiDer(publicKey))).toString('hex')]);
    expect(output).toContain(`CKA_ID ${keyIds[0]!.toString('hex')}`);

    const library = new Pkcs11Library(SOFTHSM_LIBRARY);
    const signers = new Pkcs11SignerProvider({
      library,
      tokenLabel: LABEL,
      pin: TEST_HSM_USER_PIN,
      certsDir: dir,
      clock: fixedClock(NOW.toISOString()),
      logger: capturedLogger().logger,
    });
    try {
      const signer = await signers.signerFor(CODE);
      expect(signer.algorithm).toBe(signatureAlgorithm);
      const data = new TextEncoder().encode('signed attributes');
      expect(verify('sha256', data, publicKey, await signer.sign(data))).toBe(true);
    } finally {
      await signers.close();
      await library.close();
    }

    output = '';
    await expect(run(['pki', 'list', '--json'])).resolves.toBe(0);
    expect(JSON.parse(output)).toMatchObject({ departments: [], tokenDepartments: [CODE] });
  });

  test('refuses to replace a chain without --force before touching the token; --force rotates to a new key', async () => {
    await expect(run(['pki', 'department', '--credit-code', CODE, '--name', 'x', '--pkcs11'])).resolves.toBe(0);
    const first = readFileSync(join(dir, 'departments', `${CODE}.pem`), 'utf8');
    await expect(run(['pki', 'department', '--credit-code', CODE, '--name', 'x', '--pkcs11'])).resolves.toBe(1);
    expect(errors).toContain('ERR_PKI_EXISTS');
    expect(await privateKeysOnToken()).toHaveLength(1);
    await expect(run(['pki', 'department', '--credit-code', CODE, '--name', 'x', '--pkcs11', '--force'])).resolves.toBe(0);
    expect(readFileSync(join(dir, 'departments', `${CODE}.pem`), 'utf8')).not.toBe(first);
    expect(await privateKeysOnToken()).toHaveLength(2);
  });

  test('needs the token settings, and fails with stable codes on a wrong PIN or label, leaving no chain behind', async () => {
    await expect(run(['pki', 'department', '--credit-code', CODE, '--name', 'x', '--pkcs11'], { VAULT_PKCS11_PIN: '' })).resolves.toBe(1);
    expect(errors).toContain('ERR_CONFIG_INVALID: VAULT_PKCS11_PIN: required with --pkcs11');
    await expect(run(['pki', 'department', '--credit-code', CODE, '--name', 'x', '--pkcs11'], { VAULT_PKCS11_PIN: 'fixture-wrong-pin' })).resolves.toBe(1);
    expect(errors).toContain('ERR_SIGNER_PIN');
    expect(errors).not.toContain('fixture-wrong-pin');
    await expect(run(['pki', 'department', '--credit-code', CODE, '--name', 'x', '--pkcs11'], { VAULT_PKCS11_TOKEN_LABEL: 'no-such-token' })).resolves.toBe(1);
    expect(errors).toContain('ERR_SIGNER_TOKEN_MISSING');
    expect(readdirSync(dir)).not.toContain('departments');
    expect(await privateKeysOnToken()).toHaveLength(0);
  });
});
