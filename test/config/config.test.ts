import { availableParallelism } from 'node:os';
import { loadConfig } from '../../src/config/index.js';

describe('loadConfig', () => {
  test('an empty environment gives the embedded defaults', () => {
    const config = loadConfig({}, '/srv/vault');
    expect(config).toEqual({
      production: false,
      port: 3000,
      host: '0.0.0.0',
      dataDir: '/srv/vault/data',
      certsDir: '/srv/vault/certs',
      checkpointDir: '/srv/vault/data-checkpoints',
      checkpointSeconds: 10,
      templatesDir: '/srv/vault/templates',
      publicUrl: 'http://localhost:3000',
      store: { kind: 'sqlite', file: '/srv/vault/data/vault.db' },
      p12Password: undefined,
      devPki: 'auto',
      signer: 'p12',
      pkcs11: {},
      demoSetup: 'auto',
      holderSessionMinutes: 30,
      staff: { totpRoles: ['issuer', 'clerk', 'sysadmin', 'secadmin', 'auditor'], lockoutFailures: 5, lockoutMinutes: 15, idleMinutes: 15, sessionHours: 8 },
      holderOidc: { issuer: null, scope: 'openid profile', claims: { citizen: 'id_card_number', organization: 'credit_code', name: 'name' } },
      tokenTtlSeconds: 900,
      lookupsPerMinute: 120,
      lookupPolicy: 'number',
      verificationsPerMinute: 60,
      fieldChecksPerMinute: 10,
      fieldChecksPerDay: 100,
      uploadsInFlightPerClient: 2,
      tokenRequestsPerMinute: 20,
      trustProxy: false,
      logLevel: 'info',
      jsonLimitBytes: 2 * 1024 * 1024,
      shutdownTimeoutMs: 10_000,
      workerThreads: availableParallelism(),
      failpoint: null,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('field checks and uploads in flight have limits of their own, each at least 1', () => {
    expect(loadConfig({ VAULT_FIELD_CHECKS_PER_MINUTE: '3', VAULT_FIELD_CHECKS_PER_DAY: '50', VAULT_UPLOADS_IN_FLIGHT_PER_CLIENT: '4' })).toMatchObject({
      fieldChecksPerMinute: 3,
      fieldChecksPerDay: 50,
      uploadsInFlightPerClient: 4,
      verificationsPerMinute: 60,
    });
    for (const variable of ['VAULT_FIELD_CHECKS_PER_MINUTE', 'VAULT_FIELD_CHECKS_PER_DAY', 'VAULT_UPLOADS_IN_FLIGHT_PER_CLIENT']) {
      expect(() => loadConfig({ [variable]: '0' })).toThrow(variable);
    }
  });

  test('checkpoints go beside the data directory unless VAULT_CHECKPOINT_DIR says where', () => {
    expect(loadConfig({ VAULT_DATA_DIR: '/var/lib/vault' }, '/srv').checkpointDir).toBe('/var/lib/vault-checkpoints');
    expect(loadConfig({ VAULT_CHECKPOINT_DIR: 'archive/checkpoints' }, '/srv').checkpointDir).toBe('/srv/archive/checkpoints');
    expect(() => loadConfig({ VAULT_CHECKPOINT_SECONDS: '0' })).toThrow('VAULT_CHECKPOINT_SECONDS');
  });

  test('VAULT_FAILPOINT names an issuance point and, after a colon, which time it is reached', () => {
    expect(loadConfig({ VAULT_FAILPOINT: 'after-sign' }).failpoint).toEqual({ point: 'after-sign', hit: 1 });
    expect(loadConfig({ VAULT_FAILPOINT: 'before-commit:3' }).failpoint).toEqual({ point: 'before-commit', hit: 3 });
  });

  test('the public URL follows PORT unless set, and loses a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ VAULT_PUBLIC_URL: 'https://zz.gov.cn/vault/' }).publicUrl).toBe('https://zz.gov.cn/vault');
  });

  test('VAULT_DEMO_SETUP and VAULT_TOKEN_TTL_SECONDS are read', () => {
    expect(loadConfig({ VAULT_DEMO_SETUP: 'off', VAULT_TOKEN_TTL_SECONDS: '60' })).toMatchObject({ demoSetup: 'off', tokenTtlSeconds: 60 });
  });

  test('staff sign-in: TOTP roles, lockout and session lifetimes are read; administrators and auditors cannot be left without a one-time password', () => {
    const config = loadConfig({
      VAULT_STAFF_TOTP_ROLES: ' sysadmin, secadmin,auditor,issuer,issuer ',
      VAULT_STAFF_LOCKOUT_FAILURES: '3',
      VAULT_STAFF_LOCKOUT_MINUTES: '30',
      VAULT_STAFF_IDLE_MINUTES: '10',
      VAULT_STAFF_SESSION_HOURS: '4',
    });
    expect(config.staff).toEqual({ totpRoles: ['sysadmin', 'secadmin', 'auditor', 'issuer'], lockoutFailures: 3, lockoutMinutes: 30, idleMinutes: 10, sessionHours: 4 });
    expect(() => loadConfig({ VAULT_STAFF_TOTP_ROLES: 'issuer,clerk,sysadmin,secadmin' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        details: { variable: 'VAULT_STAFF_TOTP_ROLES' },
        message: expect.stringMatching(/must include sysadmin, secadmin, auditor/),
      }),
    );
    expect(() => loadConfig({ VAULT_STAFF_TOTP_ROLES: 'sysadmin,secadmin,auditor,admin' })).toThrow(expect.objectContaining({ details: { variable: 'VAULT_STAFF_TOTP_ROLES' } }));
    for (const [variable, value] of [
      ['VAULT_STAFF_LOCKOUT_FAILURES', '0'],
      ['VAULT_STAFF_IDLE_MINUTES', 'soon'],
      ['VAULT_STAFF_SESSION_HOURS', '25'],
    ]) {
      expect(() => loadConfig({ [variable!]: value })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID', details: { variable } }));
    }
  });

  test('the identity platform holders sign in with needs its issuer, client id and secret together, and names the first one missing', () => {
    const platform = { VAULT_HOLDER_OIDC_ISSUER: 'https://sso.example.gov.cn/oidc', VAULT_HOLDER_OIDC_CLIENT_ID: 'license-vault', VAULT_HOLDER_OIDC_CLIENT_SECRET: 's3cret value' };
    expect(
      loadConfig({ ...platform, VAULT_HOLDER_OIDC_CITIZEN_CLAIM: 'sfzhm', VAULT_HOLDER_OIDC_ORGANIZATION_CLAIM: 'tyshxydm', VAULT_HOLDER_OIDC_SCOPE: 'openid idcard' }).holderOidc,
    ).toEqual({
      issuer: { url: 'https://sso.example.gov.cn/oidc', clientId: 'license-vault', clientSecret: 's3cret value' },
      scope: 'openid idcard',
      claims: { citizen: 'sfzhm', organization: 'tyshxydm', name: 'name' },
    });
    expect(() => loadConfig({ VAULT_HOLDER_OIDC_ISSUER: platform.VAULT_HOLDER_OIDC_ISSUER })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID', details: { variable: 'VAULT_HOLDER_OIDC_CLIENT_ID' } }),
    );
    expect(() => loadConfig({ ...platform, VAULT_HOLDER_OIDC_CLIENT_SECRET: '' })).toThrow('VAULT_HOLDER_OIDC_CLIENT_SECRET: required');
    expect(() => loadConfig({ ...platform, VAULT_HOLDER_OIDC_ISSUER: 'ftp://sso.example.gov.cn' })).toThrow('VAULT_HOLDER_OIDC_ISSUER');
    expect(() => loadConfig({ VAULT_HOLDER_OIDC_SCOPE: 'profile' })).toThrow('VAULT_HOLDER_OIDC_SCOPE: must include openid');
    expect(() => loadConfig({ VAULT_HOLDER_OIDC_CITIZEN_CLAIM: 'a b' })).toThrow('VAULT_HOLDER_OIDC_CITIZEN_CLAIM');
    expect(() => loadConfig({ VAULT_HOLDER_OIDC_ORGANIZATION_CLAIM: 'id_card_number' })).toThrow('must differ');
  });

  test('MONGODB_URI switches the store to MongoDB; an empty value counts as unset', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://db1,db2/vault?replicaSet=rs0' }).store).toEqual({ kind: 'mongo', uri: 'mongodb://db1,db2/vault?replicaSet=rs0' });
    expect(loadConfig({ MONGODB_URI: '' }).store.kind).toBe('sqlite');
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['VAULT_PUBLIC_URL', 'ftp://x.cn'],
    ['VAULT_PUBLIC_URL', 'not a url'],
    ['VAULT_PUBLIC_URL', 'https://x.cn/?q=1'],
    ['MONGODB_URI', 'postgres://x'],
    ['LOG_LEVEL', 'loud'],
    ['VAULT_JSON_LIMIT_BYTES', '10'],
    ['VAULT_DATA_DIR', '   '],
    ['VAULT_P12_PASSWORD', 'short'],
    ['VAULT_DEV_PKI', 'maybe'],
    ['VAULT_SIGNER', 'hsm'],
    ['VAULT_PKCS11_TOKEN_LABEL', 'a label longer than thirty-two bytes'],
    ['VAULT_DEMO_SETUP', 'yes'],
    ['VAULT_TOKEN_TTL_SECONDS', '59'],
    ['VAULT_TOKEN_TTL_SECONDS', '3601'],
    ['VAULT_FAILPOINT', 'somewhere'],
    ['VAULT_FAILPOINT', 'after-sign:0'],
  ])('%s=%j stops start-up with ERR_CONFIG_INVALID naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID', details: { variable }, message: expect.stringMatching(new RegExp(`^${variable}: `)) }),
    );
  });

  test.each([
    ['MONGODB_URI', 'secret-password'],
    ['VAULT_P12_PASSWORD', 'secret'],
    ['VAULT_PKCS11_TOKEN_LABEL', '证照库签名令牌证照库签名令牌'],
  ])('a bad %s is named without echoing its value (it may hold a password)', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(value) }));
  });

  test('VAULT_SIGNER=pkcs11 needs the library, the token label and the PIN, and names the first one missing', () => {
    const pkcs11 = { VAULT_SIGNER: 'pkcs11', VAULT_PKCS11_LIBRARY: '/usr/lib/softhsm/libsofthsm2.so', VAULT_PKCS11_TOKEN_LABEL: 'license-vault', VAULT_PKCS11_PIN: 'fixture-pin' };
    expect(loadConfig(pkcs11)).toMatchObject({ signer: 'pkcs11', pkcs11: { library: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'license-vault', pin: 'fixture-pin' } });
    for (const variable of ['VAULT_PKCS11_LIBRARY', 'VAULT_PKCS11_TOKEN_LABEL', 'VAULT_PKCS11_PIN']) {
      expect(() => loadConfig({ ...pkcs11, [variable]: '' })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG_INVALID', details: { variable }, message: `${variable}: required with VAULT_SIGNER=pkcs11` }),
      );
    }
    // Without VAULT_SIGNER=pkcs11 the token settings are optional (pki department --pkcs11 asks for them).
    expect(loadConfig({ VAULT_PKCS11_LIBRARY: '/usr/lib/softhsm/libsofthsm2.so' })).toMatchObject({ signer: 'p12', pkcs11: { library: '/usr/lib/softhsm/libsofthsm2.so' } });
  });

  test('render threads default to one per CPU and are bounded', () => {
    expect(loadConfig({}).workerThreads).toBe(availableParallelism());
    expect(loadConfig({ VAULT_WORKER_THREADS: '3' }).workerThreads).toBe(3);
    expect(() => loadConfig({ VAULT_WORKER_THREADS: '0' })).toThrow('VAULT_WORKER_THREADS: must be at least 1');
  });
});
