import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevelopmentPki } from '../../src/adapters/pki/development-pki.js';
import { pkiPaths } from '../../src/adapters/pki/pki-directory.js';
import { assertSafeForProduction, checkProductionSafety, productionRefusals, type ProductionCheckedConfig } from '../../src/composition/production-checks.js';
import { loadConfig } from '../../src/config/index.js';
import { makeTestPki } from '../fixtures/pki.js';

/** A production configuration that passes every rule. */
const SAFE: ProductionCheckedConfig = {
  production: true,
  demoSetup: 'off',
  devPki: 'off',
  publicUrl: 'https://zzk.example.gov.cn',
  signer: 'p12',
  p12Password: 'a long enough password',
  certsDir: '/etc/license-vault/certs',
  holderOidc: {
    issuer: { url: 'https://sso.example.gov.cn/oidc', clientId: 'license-vault', clientSecret: 'a client secret' },
    scope: 'openid profile',
    claims: { citizen: 'id_card_number', organization: 'credit_code', name: 'name' },
  },
};
const CLEAN = { developmentPki: false };

describe('the start-up refuses development defaults with NODE_ENV=production', () => {
  test('a safe production configuration passes', () => {
    expect(productionRefusals(SAFE, CLEAN)).toEqual([]);
    expect(() => assertSafeForProduction(SAFE, CLEAN)).not.toThrow();
  });

  test.each([
    ['the demo set-up on', { demoSetup: 'auto' }, CLEAN, /^VAULT_DEMO_SETUP must be off/],
    ['the development PKI on', { devPki: 'auto' }, CLEAN, /^VAULT_DEV_PKI must be off$/],
    ['the development PKI present in the certificates directory', {}, { developmentPki: true }, /^VAULT_CERTS_DIR \(\/etc\/license-vault\/certs\) holds the development PKI/],
    ['an http:// public URL', { publicUrl: 'http://zzk.example.gov.cn' }, CLEAN, /^VAULT_PUBLIC_URL must be an https:\/\/ URL/],
    ['key stores without a password', { p12Password: undefined }, CLEAN, /^VAULT_P12_PASSWORD must be set/],
    [
      'an http:// identity platform',
      { holderOidc: { ...SAFE.holderOidc, issuer: { ...SAFE.holderOidc.issuer!, url: 'http://sso.example.gov.cn/oidc' } } },
      CLEAN,
      /^VAULT_HOLDER_OIDC_ISSUER must be an https:\/\/ URL/,
    ],
  ] as const)('%s is refused', (_what, change, facts, reason) => {
    const config = { ...SAFE, ...change };
    const reasons = productionRefusals(config, facts);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
    expect(() => assertSafeForProduction(config, facts)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_UNSAFE' }));
    // Outside production the same settings are the development defaults.
    expect(productionRefusals({ ...config, production: false }, facts)).toEqual([]);
  });

  test('an HSM signer needs no key store password', () => {
    expect(productionRefusals({ ...SAFE, signer: 'pkcs11', p12Password: undefined }, CLEAN)).toEqual([]);
  });

  test('every reason is given at once, in one line', () => {
    const defaults = loadConfig({ NODE_ENV: 'production' }, '/srv/vault');
    expect(defaults.production).toBe(true);
    let message = '';
    try {
      assertSafeForProduction(defaults, { developmentPki: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith('NODE_ENV=production refuses to start: ')).toBe(true);
    expect(message.split('; ')).toHaveLength(5);
    expect(message).not.toContain('\n');
  });

  test('NODE_ENV other than production is not production', () => {
    for (const value of [undefined, 'development', 'test', 'Production ']) expect(loadConfig(value === undefined ? {} : { NODE_ENV: value }, '/srv').production).toBe(false);
  });

  describe('the development PKI on disk', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vault-prod-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test('is found by its root in trust/ or its password file, and refused', async () => {
      const certsDir = join(dir, 'certs');
      await ensureDevelopmentPki(certsDir, { now: new Date('2026-11-21T02:00:00Z'), password: 'a long enough password' });
      await expect(checkProductionSafety({ ...SAFE, certsDir })).rejects.toMatchObject({
        code: 'ERR_CONFIG_UNSAFE',
        details: { reasons: [expect.stringContaining('holds the development PKI')] },
      });

      const generated = join(dir, 'generated');
      await ensureDevelopmentPki(generated, { now: new Date('2026-11-21T02:00:00Z'), password: undefined });
      rmSync(pkiPaths(generated).trustDir, { recursive: true });
      await expect(checkProductionSafety({ ...SAFE, certsDir: generated })).rejects.toMatchObject({ code: 'ERR_CONFIG_UNSAFE' });
    });

    test('a production PKI is not mistaken for it', async () => {
      const certsDir = join(dir, 'certs');
      mkdirSync(pkiPaths(certsDir).trustDir, { recursive: true });
      writeFileSync(join(pkiPaths(certsDir).trustDir, 'root.pem'), makeTestPki().rootPem);
      await expect(checkProductionSafety({ ...SAFE, certsDir })).resolves.toBeUndefined();
      await expect(checkProductionSafety({ ...SAFE, certsDir: join(dir, 'nothing-yet') })).resolves.toBeUndefined();
    });
  });
});
