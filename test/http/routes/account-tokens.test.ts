import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import { createAccount, disableAccount, enableAccount, hashSecret, type AccountRecord, type Role } from '../../../src/modules/auth/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { authTestApp, bearer, ensureDepartment, TEST_ACTOR, tokenFor } from '../../support/auth.js';

const OTHER_DEPARTMENT = '11100000000013338W';

describe('a token of an account that was disabled stays dead after the account is enabled again (issue 15, item 8)', () => {
  test('token, disable, enable: the old token is refused, a new one works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-reenabled-'));
    const store = openSqliteStore({ file: join(dir, 'vault.db') });
    try {
      const { app, kit } = authTestApp(store);
      const deps = { store, clock: systemClock };
      await createAccount(deps, TEST_ACTOR, { role: 'clerk', clientId: 'window-2' }); // not the last clerk, so window-1 may be disabled
      const { clientSecret } = await createAccount(deps, TEST_ACTOR, { role: 'clerk', clientId: 'window-1' });
      const first = (await request(app).post('/api/v1/auth/token').send({ clientId: 'window-1', clientSecret }).expect(200)).body.accessToken as string;
      await expect(kit.authenticator.authenticate(first)).resolves.toMatchObject({ clientId: 'window-1' });
      await disableAccount(deps, TEST_ACTOR, 'window-1');
      await expect(kit.authenticator.authenticate(first)).rejects.toMatchObject({ code: 'ERR_AUTH_ACCOUNT_DISABLED' });
      await enableAccount(deps, TEST_ACTOR, 'window-1');
      await expect(kit.authenticator.authenticate(first)).rejects.toMatchObject({ code: 'ERR_AUTH_TOKEN_INVALID' });
      const second = (await request(app).post('/api/v1/auth/token').send({ clientId: 'window-1', clientSecret }).expect(200)).body.accessToken as string;
      await expect(kit.authenticator.authenticate(second)).resolves.toMatchObject({ clientId: 'window-1' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('account locks, roles and approvals decide which tokens live', () => {
  let dir: string;
  let store: VaultStore;
  let app: Express;
  let sysadmin: string;
  let secadmin: string;

  const signIn = (clientId: string, clientSecret: string) => request(app).post('/api/v1/auth/token').send({ clientId, clientSecret });
  const admin = (token: string, path: string, body?: object) => {
    const pending = request(app).post(`/api/v1/admin/accounts/${path}`).set('Authorization', bearer(token));
    return body === undefined ? pending : pending.send(body);
  };
  const change = (token: string, clientId: string, body: object) => request(app).patch(`/api/v1/admin/accounts/${clientId}`).set('Authorization', bearer(token)).send(body);
  /** An active account of `role` made by the host, and a token for it. */
  const signedIn = async (role: Role, clientId: string) => {
    const department = role === 'issuer' ? await ensureDepartment(store) : null;
    const { clientSecret } = await createAccount({ store, clock: systemClock }, TEST_ACTOR, { role, clientId, department });
    const res = await signIn(clientId, clientSecret).expect(200);
    return { clientSecret, token: res.body.accessToken as string };
  };
  const whoAmI = (token: string) => request(app).get('/api/v1/admin/accounts').set('Authorization', bearer(token));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-account-tokens-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    ({ app } = authTestApp(store));
    sysadmin = await tokenFor(app, store, 'sysadmin');
    secadmin = await tokenFor(app, store, 'secadmin');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a role change or a department change cuts off the tokens issued before it', async () => {
    await tokenFor(app, store, 'issuer');
    await tokenFor(app, store, 'sysadmin');
    const moved = await signedIn('issuer', 'fz-issuer');
    await ensureDepartment(store, OTHER_DEPARTMENT);
    await change(sysadmin, 'fz-issuer', { department: OTHER_DEPARTMENT }).expect(200);
    expect((await request(app).get('/api/v1/admin/accounts').set('Authorization', bearer(moved.token))).body.code).toBe('ERR_AUTH_TOKEN_INVALID');

    const promoted = await signedIn('sysadmin', 'sys-three');
    await whoAmI(promoted.token).expect(200);
    await change(secadmin, 'sys-three', { role: 'secadmin' }).expect(200);
    expect((await whoAmI(promoted.token).expect(401)).body.code).toBe('ERR_AUTH_TOKEN_INVALID');
    await whoAmI((await signIn('sys-three', promoted.clientSecret).expect(200)).body.accessToken).expect(200);
  });

  test('a pending account gets no token, with the same answer as a wrong secret, until the other managing role approves', async () => {
    const created = await request(app).post('/api/v1/admin/accounts').set('Authorization', bearer(sysadmin)).send({ role: 'clerk', clientId: 'window-9' }).expect(201);
    const pending = await signIn('window-9', created.body.clientSecret).expect(401);
    const wrong = await signIn('window-9', 'not-the-secret').expect(401);
    expect({ ...pending.body, requestId: 'x' }).toEqual({ ...wrong.body, requestId: 'x' });
    expect(pending.body.code).toBe('ERR_AUTH_INVALID_CLIENT');

    // The role that set the secret cannot approve it, whichever of its accounts tries.
    const otherSysadmin = await tokenFor(app, store, 'sysadmin');
    expect((await admin(otherSysadmin, 'window-9/approve').expect(403)).body.code).toBe('ERR_FORBIDDEN');
    await admin(secadmin, 'window-9/approve').expect(200);
    expect((await admin(secadmin, 'window-9/approve').expect(409)).body.code).toBe('ERR_ACCOUNT_NOT_PENDING');
    await signIn('window-9', created.body.clientSecret).expect(200);

    // A reset by the security administrator waits for a system administrator.
    const reset = await admin(secadmin, 'window-9/rotate-secret').expect(200);
    expect(reset.body.account).toMatchObject({ pending: true, secretSetBy: { role: 'secadmin' } });
    await signIn('window-9', reset.body.clientSecret).expect(401);
    expect((await admin(secadmin, 'window-9/approve').expect(403)).body.code).toBe('ERR_FORBIDDEN');
    await admin(sysadmin, 'window-9/approve').expect(200);
    await signIn('window-9', reset.body.clientSecret).expect(200);
  });

  test('the last enabled, approved account of a role is never disabled or given another role; a pending one does not count', async () => {
    await tokenFor(app, store, 'auditor');
    const auditorId = (await store.accounts.list()).find((account) => account.role === 'auditor')!.clientId;
    for (const res of [await admin(secadmin, `${auditorId}/disable`), await change(secadmin, auditorId, { role: 'clerk' })]) {
      expect([res.status, res.body.code]).toEqual([409, 'ERR_ACCOUNT_LAST_OF_ROLE']);
    }
    const second = await request(app).post('/api/v1/admin/accounts').set('Authorization', bearer(secadmin)).send({ role: 'auditor', clientId: 'auditor-two' }).expect(201);
    expect(second.body.account.pending).toBe(true);
    expect((await admin(secadmin, `${auditorId}/disable`).expect(409)).body.code).toBe('ERR_ACCOUNT_LAST_OF_ROLE');
    await admin(sysadmin, 'auditor-two/approve').expect(200);
    await admin(secadmin, `${auditorId}/disable`).expect(200);
    expect((await admin(secadmin, 'auditor-two/disable').expect(409)).body.code).toBe('ERR_ACCOUNT_LAST_OF_ROLE');
    expect((await store.accounts.get(auditorId))!.disabled).toBe(true);

    // The only security administrator cannot lock itself out either: its own account is not its to lock.
    const secadminId = (await store.accounts.list()).find((account) => account.role === 'secadmin')!.clientId;
    expect((await admin(secadmin, `${secadminId}/disable`).expect(403)).body.code).toBe('ERR_FORBIDDEN_OWN_ACCOUNT');
  });

  test('an account stored before token versions counts on from its secret version', async () => {
    const at = new Date().toISOString();
    const legacy: AccountRecord = {
      clientId: 'old-clerk',
      role: 'clerk',
      department: null,
      displayName: '旧账号',
      secretHash: await hashSecret('an-old-secret-of-43-characters-000000000000'),
      disabled: false,
      secretVersion: 3,
      createdAt: at,
      updatedAt: at,
    };
    await store.accounts.insert(legacy);
    await tokenFor(app, store, 'clerk');
    const token = (await signIn('old-clerk', 'an-old-secret-of-43-characters-000000000000').expect(200)).body.accessToken as string;
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'))).toMatchObject({ sv: 3 });
    await admin(secadmin, 'old-clerk/disable').expect(200);
    await admin(secadmin, 'old-clerk/enable').expect(200);
    expect(await store.accounts.get('old-clerk')).toMatchObject({ tokenVersion: 5, disabled: false });
    expect((await store.accounts.get('old-clerk'))!.secretVersion).toBeUndefined();
  });
});
