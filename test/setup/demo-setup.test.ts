import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { createAccount, ROLES } from '../../src/modules/auth/index.js';
import { DEMO_DEPARTMENT } from '../../src/modules/departments/index.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import { systemClock } from '../../src/shared/clock.js';
import { DEV_IDP_HOLDERS_FILE, DevIdpHolderDirectory, readDevIdpHolders } from '../../src/adapters/dev-idp/holder-directory.js';
import { DEMO_CREDENTIALS_FILE, ensureDemoSetup, type DemoCredentials } from '../../src/setup/demo-setup.js';
import { otpauthTotp } from '../../src/adapters/totp/otpauth-totp.js';
import { demoStaffTotp, staffSignInWith } from '../../src/composition/staff-sign-in.js';
import { SecurityEventRecorder } from '../../src/modules/audit/index.js';
import { stepOf } from '../../src/modules/staff/index.js';
import { allLicenseTypeCodes, authTestApp, bearer } from '../support/auth.js';
import { capturedLogger } from '../support/log-capture.js';

describe('demo set-up', () => {
  let dir: string;
  let dataDir: string;
  let store: VaultStore;
  let log: ReturnType<typeof capturedLogger>;
  let licenseTypes: string[];
  const staffKey = randomBytes(32);
  const STAFF = ['wangfang', 'liqiang', 'zhaomin', 'sunli', 'zhoujie'];
  const run = (mode: 'auto' | 'off' = 'auto', target: VaultStore = store) =>
    ensureDemoSetup({ store: target, clock: systemClock, logger: log.logger, dataDir, mode, licenseTypes, staffTotp: demoStaffTotp(staffKey) });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-demo-'));
    dataDir = join(dir, 'data');
    store = openSqliteStore({ file: join(dataDir, 'vault.db') });
    log = capturedLogger();
    licenseTypes = await allLicenseTypeCodes();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('first start: demo department for every template, one account per role, credentials in a 0600 file', async () => {
    const result = await run();
    const file = join(dataDir, DEMO_CREDENTIALS_FILE);
    expect(result).toEqual({ created: true, file, clientIds: ROLES.map((role) => `demo-${role}`), staff: STAFF });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const credentials = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    expect(Object.keys(credentials)).toEqual(['accounts', 'holders', 'staff']);
    expect(credentials.accounts.map((account) => Object.keys(account))).toEqual(ROLES.map(() => ['role', 'clientId', 'clientSecret']));
    expect(credentials.accounts.map((account) => account.role)).toEqual([...ROLES]);

    const department = (await store.departments.get(DEMO_DEPARTMENT.creditCode))!;
    expect(department).toMatchObject({ name: DEMO_DEPARTMENT.name, divisionCode: DEMO_DEPARTMENT.divisionCode, signingKey: DEMO_DEPARTMENT.creditCode, sealImage: null });
    expect(department.licenseTypes).toEqual([...licenseTypes].sort());
    expect(licenseTypes).toHaveLength(4);
    expect((await store.accounts.get('demo-issuer'))!.department).toBe(DEMO_DEPARTMENT.creditCode);
    expect((await store.accounts.get('demo-clerk'))!.department).toBe(DEMO_DEPARTMENT.creditCode);

    // The set-up is audited as the vault's own (the token requests below add their own security events).
    const audit = await store.audit.list(0, 100);
    expect(audit.map((entry) => entry.action)).toEqual(['department.create', ...[...ROLES, ...STAFF].map(() => 'account.create')]);
    expect(audit.every((entry) => entry.actor.id === 'system')).toBe(true);
    // One active service account and one person per role: the host created them, so none waits for approval.
    expect((await store.accounts.list()).map((account) => [account.role, account.kind ?? 'service', account.pending, account.disabled]).sort()).toEqual(
      ROLES.flatMap((role) => [
        [role, 'person', false, false],
        [role, 'service', false, false],
      ]).sort(),
    );

    // The credentials work, and say so in the log without the secrets.
    const { app } = authTestApp(store);
    for (const { role, clientId, clientSecret } of credentials.accounts) {
      const res = await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret }).expect(200);
      const { body } = await request(app).get('/api/v1/admin/accounts').set('Authorization', bearer(res.body.accessToken));
      if (role === 'sysadmin' || role === 'secadmin') expect(body.accounts).toHaveLength(10);
      expect(log.text()).not.toContain(clientSecret);
    }
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('created DEMO accounts'), file, level: 40 }));
  });

  test('first start also makes the demo holders: their passwords in the credentials, only scrypt hashes for the development identity provider', async () => {
    await run();
    const credentials = JSON.parse(readFileSync(join(dataDir, DEMO_CREDENTIALS_FILE), 'utf8')) as DemoCredentials;
    expect(credentials.holders.map(({ type, number, name }) => ({ type, number, name }))).toEqual([
      { type: 'citizen', number: '11010519491231002X', name: '李秀英' },
      { type: 'organization', number: '91350100M000100Y43', name: '福州演示科技有限公司' },
    ]);
    const file = join(dataDir, DEV_IDP_HOLDERS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const directory = new DevIdpHolderDirectory(await readDevIdpHolders(dataDir));
    for (const holder of credentials.holders) {
      expect(holder.password.length).toBeGreaterThanOrEqual(16);
      expect(text).not.toContain(holder.password);
      expect(await directory.signIn(holder.number.toLowerCase(), holder.password)).toMatchObject({ type: holder.type, number: holder.number, name: holder.name });
      expect(await directory.signIn(holder.number, `${holder.password}x`)).toBeNull();
    }
    expect(log.text()).not.toContain(credentials.holders[0]!.password);
  });

  test('first start makes one person per role, enrolled: each signs in to the console with the password and a code of the TOTP secret', async () => {
    await run();
    const credentials = JSON.parse(readFileSync(join(dataDir, DEMO_CREDENTIALS_FILE), 'utf8')) as DemoCredentials;
    expect(credentials.staff.map(({ username, displayName, role, department }) => ({ username, displayName, role, department }))).toEqual([
      { username: 'wangfang', displayName: '王芳', role: 'clerk', department: DEMO_DEPARTMENT.creditCode },
      { username: 'liqiang', displayName: '李强', role: 'issuer', department: DEMO_DEPARTMENT.creditCode },
      { username: 'zhaomin', displayName: '赵敏', role: 'sysadmin', department: null },
      { username: 'sunli', displayName: '孙丽', role: 'secadmin', department: null },
      { username: 'zhoujie', displayName: '周杰', role: 'auditor', department: null },
    ]);
    const staff = staffSignInWith({ lookupPolicy: 'number', staff: { totpRoles: ROLES, lockoutFailures: 5, lockoutMinutes: 15, idleMinutes: 15, sessionHours: 8 } }, staffKey, {
      store,
      clock: systemClock,
      securityEvents: new SecurityEventRecorder({ audit: store.audit, clock: systemClock }),
    });
    const { app } = authTestApp(store);
    for (const person of credentials.staff) {
      const stored = (await store.accounts.get(person.username))!;
      expect(JSON.stringify(stored)).not.toContain(person.totpSecret);
      const otp = otpauthTotp.codeAt(person.totpSecret, stepOf(systemClock.now()));
      const opened = await staff.signIn.signIn({ username: person.username, password: person.password, otp }, { address: '127.0.0.1', requestId: 'demo' });
      expect(opened).toMatchObject({
        status: 'signed-in',
        session: { user: { username: person.username, displayName: person.displayName, role: person.role, totpEnrolled: true } },
      });
      // People use the console; the token endpoint refuses them.
      await request(app).post('/api/v1/auth/token').send({ clientId: person.username, clientSecret: person.password }).expect(401);
      expect(log.text()).not.toContain(person.password);
      expect(log.text()).not.toContain(person.totpSecret);
    }
  });

  test('does nothing the second time, and keeps the credentials file as it was', async () => {
    await run();
    const file = join(dataDir, DEMO_CREDENTIALS_FILE);
    const first = readFileSync(file, 'utf8');
    await expect(run()).resolves.toEqual({ created: false, reason: 'has-accounts' });
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(await store.accounts.list()).toHaveLength(2 * ROLES.length);
  });

  test('does nothing once any account exists, when off, or on MongoDB', async () => {
    await expect(run('off')).resolves.toEqual({ created: false, reason: 'off' });
    await expect(run('auto', { ...store, kind: 'mongo' })).resolves.toEqual({ created: false, reason: 'not-embedded' });
    expect(existsSync(join(dataDir, DEMO_CREDENTIALS_FILE))).toBe(false);
    await createAccount({ store, clock: systemClock }, { id: 'cli:root', role: 'system' }, { role: 'sysadmin', clientId: 'root-admin' });
    await expect(run()).resolves.toEqual({ created: false, reason: 'has-accounts' });
    expect(existsSync(join(dataDir, DEMO_CREDENTIALS_FILE))).toBe(false);
    expect(await store.departments.list()).toEqual([]);
  });
});
