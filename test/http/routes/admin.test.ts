import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { DEMO_DEPARTMENT } from '../../../src/modules/departments/index.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import { allLicenseTypeCodes, authTestApp, bearer, tokenFor } from '../../support/auth.js';

const CREDIT_CODE = '91350100M000100Y43';
const TEACHER_TYPE = '11100000000013338W001';
const BUSINESS_TYPE = '11100000MB028404XM001';

const ADMIN_ENDPOINTS: readonly [string, string][] = [
  ['post', '/api/v1/admin/departments'],
  ['get', '/api/v1/admin/departments'],
  ['get', `/api/v1/admin/departments/${CREDIT_CODE}`],
  ['patch', `/api/v1/admin/departments/${CREDIT_CODE}`],
  ['post', '/api/v1/admin/accounts'],
  ['get', '/api/v1/admin/accounts'],
  ['get', '/api/v1/admin/accounts/clerk-a'],
  ['patch', '/api/v1/admin/accounts/clerk-a'],
  ['post', '/api/v1/admin/accounts/clerk-a/disable'],
  ['post', '/api/v1/admin/accounts/clerk-a/enable'],
  ['post', '/api/v1/admin/accounts/clerk-a/rotate-secret'],
  ['post', '/api/v1/admin/accounts/clerk-a/approve'],
];

function call(app: Express, method: string, path: string) {
  const agent = request(app);
  switch (method) {
    case 'post':
      return agent.post(path);
    case 'patch':
      return agent.patch(path);
    default:
      return agent.get(path);
  }
}

describe('admin endpoints', () => {
  let dir: string;
  let store: VaultStore;
  let app: Express;
  let log: ReturnType<typeof authTestApp>['log'];
  /** The system administrator: departments, issuer and clerk accounts. */
  let admin: string;
  /** The security administrator: administrator accounts, resets, roles, locks; approves what the system administrator set. */
  let secadmin: string;
  /** Every response body seen, to check that no hash ever leaves the vault. */
  let seen: string[];

  const send = async (method: string, path: string, body?: object, token = admin) => {
    const pending = call(app, method, path).set('Authorization', bearer(token));
    const res = body === undefined ? await pending : await pending.send(body);
    seen.push(res.text);
    return res;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-admin-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    ({ app, log } = authTestApp(store));
    admin = await tokenFor(app, store, 'sysadmin');
    secadmin = await tokenFor(app, store, 'secadmin');
    seen = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every admin endpoint is 401 without a token and 403 for issuers, clerks and auditors (the full matrix: duties-matrix.test.ts)', async () => {
    const others = await Promise.all((['issuer', 'clerk', 'auditor'] as const).map((role) => tokenFor(app, store, role)));
    for (const [method, path] of ADMIN_ENDPOINTS) {
      const anonymous = await call(app, method, path).send({}).expect(401);
      expect(anonymous.body.code).toBe('ERR_AUTH_TOKEN_MISSING');
      for (const token of others) {
        const res = await call(app, method, path).set('Authorization', bearer(token)).send({}).expect(403);
        expect(res.body.code).toBe('ERR_FORBIDDEN');
      }
    }
  });

  test('departments: create, list, read, patch; validation, duplicates and unknown codes have stable codes', async () => {
    const body = {
      creditCode: CREDIT_CODE.toLowerCase(),
      name: ' 福州市市场监督管理局 ',
      divisionCode: '350100',
      licenseTypes: [BUSINESS_TYPE, TEACHER_TYPE.toLowerCase()],
      signingKey: CREDIT_CODE,
    };
    const created = await send('post', '/api/v1/admin/departments', body);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/admin/departments/${CREDIT_CODE}`);
    expect(created.body).toEqual({
      creditCode: CREDIT_CODE,
      name: '福州市市场监督管理局',
      divisionCode: '350100',
      licenseTypes: [TEACHER_TYPE, BUSINESS_TYPE].sort(),
      signingKey: CREDIT_CODE,
      sealImage: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await send('post', '/api/v1/admin/departments', body)).body.code).toBe('ERR_DEPARTMENT_EXISTS');
    expect((await send('get', '/api/v1/admin/departments')).body).toEqual({ departments: [created.body] });
    expect((await send('get', `/api/v1/admin/departments/${CREDIT_CODE}`)).body).toEqual(created.body);

    const patched = await send('patch', `/api/v1/admin/departments/${CREDIT_CODE}`, { licenseTypes: [TEACHER_TYPE], sealImage: 'seals/fuzhou.png' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ licenseTypes: [TEACHER_TYPE], sealImage: 'seals/fuzhou.png', name: '福州市市场监督管理局' });

    const bad: [object, number, string][] = [
      [{ ...body, creditCode: '91350100M000100Y44' }, 400, 'ERR_CREDIT_CODE_CHECKSUM'],
      [{ ...body, divisionCode: '990100' }, 400, 'ERR_DEPARTMENT_INVALID'],
      [{ ...body, divisionCode: '3501' }, 400, 'ERR_DEPARTMENT_INVALID'],
      [{ ...body, licenseTypes: ['nonsense'] }, 400, 'ERR_DEPARTMENT_INVALID'],
      [{ ...body, signingKey: '../../etc/passwd' }, 400, 'ERR_DEPARTMENT_INVALID'],
      [{ ...body, sealImage: '/etc/seal.png' }, 400, 'ERR_DEPARTMENT_INVALID'],
      [{ ...body, name: '' }, 400, 'ERR_DEPARTMENT_INVALID'],
      [{ ...body, extra: true }, 400, 'ERR_REQUEST_INVALID'],
      [{ ...body, licenseTypes: 'all' }, 400, 'ERR_REQUEST_INVALID'],
    ];
    for (const [input, status, code] of bad) {
      const res = await send('post', '/api/v1/admin/departments', input);
      expect([res.status, res.body.code]).toEqual([status, code]);
    }
    expect((await send('get', '/api/v1/admin/departments/91350100M000100Y44')).body.code).toBe('ERR_CREDIT_CODE_CHECKSUM');
    const missing = await send('get', `/api/v1/admin/departments/${DEMO_DEPARTMENT.creditCode}`);
    expect([missing.status, missing.body.code]).toEqual([404, 'ERR_DEPARTMENT_NOT_FOUND']);
    expect((await send('patch', `/api/v1/admin/departments/${CREDIT_CODE}`, {})).body.code).toBe('ERR_REQUEST_INVALID');
    expect((await send('patch', `/api/v1/admin/departments/${DEMO_DEPARTMENT.creditCode}`, { name: 'x' })).body.code).toBe('ERR_DEPARTMENT_NOT_FOUND');
  });

  test('accounts: the secret is returned at create and rotate only; no response or log line ever holds a hash', async () => {
    const created = await send('post', '/api/v1/admin/accounts', { role: 'clerk', displayName: '政务服务中心一号窗口' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toEqual({
      account: {
        clientId: expect.stringMatching(/^clerk-[0-9a-f]{8}$/),
        role: 'clerk',
        department: null,
        displayName: '政务服务中心一号窗口',
        kind: 'service',
        totpEnrolled: false,
        disabled: false,
        pending: true,
        secretSetBy: { clientId: expect.stringMatching(/^test-sysadmin-/), role: 'sysadmin' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const { clientId } = created.body.account;
    expect(created.headers.location).toBe(`/api/v1/admin/accounts/${clientId}`);
    const firstSecret: string = created.body.clientSecret;

    // Pending: the one who learnt the secret cannot activate it; the security administrator approves.
    const refused = await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret: firstSecret }).expect(401);
    expect(refused.body.code).toBe('ERR_AUTH_INVALID_CLIENT');
    expect((await send('post', `/api/v1/admin/accounts/${clientId}/approve`)).body.code).toBe('ERR_FORBIDDEN');
    expect((await send('post', `/api/v1/admin/accounts/${clientId}/approve`, undefined, secadmin)).body).toMatchObject({ clientId, pending: false });
    const token = await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret: firstSecret }).expect(200);
    expect(token.body.tokenType).toBe('Bearer');

    const listed = await send('get', '/api/v1/admin/accounts');
    const accounts = listed.body.accounts as Record<string, unknown>[];
    expect(accounts.map((a) => a.clientId)).toContain(clientId);
    for (const account of accounts) {
      expect(Object.keys(account).sort()).toEqual([
        'clientId',
        'createdAt',
        'department',
        'disabled',
        'displayName',
        'kind',
        'pending',
        'role',
        'secretSetBy',
        'totpEnrolled',
        'updatedAt',
      ]);
    }
    expect((await send('get', `/api/v1/admin/accounts/${clientId}`, undefined, secadmin)).body).toMatchObject({
      ...created.body.account,
      pending: false,
      updatedAt: expect.any(String),
    });

    // A second clerk, so that the first is not the last enabled one of its role.
    await tokenFor(app, store, 'clerk');
    const disabled = await send('post', `/api/v1/admin/accounts/${clientId}/disable`, undefined, secadmin);
    expect(disabled.body).toMatchObject({ clientId, disabled: true });
    await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret: firstSecret }).expect(401);
    expect((await send('post', `/api/v1/admin/accounts/${clientId}/enable`, undefined, secadmin)).body).toMatchObject({ disabled: false });

    const rotated = await send('post', `/api/v1/admin/accounts/${clientId}/rotate-secret`, undefined, secadmin);
    expect(rotated.status).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect(rotated.body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.clientSecret).not.toBe(firstSecret);
    await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret: firstSecret }).expect(401);
    // Reset by the security administrator: pending until the system administrator approves.
    await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret: rotated.body.clientSecret }).expect(401);
    expect((await send('post', `/api/v1/admin/accounts/${clientId}/approve`)).body).toMatchObject({ pending: false });
    await request(app).post('/api/v1/auth/token').send({ clientId, clientSecret: rotated.body.clientSecret }).expect(200);

    const patched = await send('patch', `/api/v1/admin/accounts/${clientId}`, { role: 'auditor', displayName: '审计员' }, secadmin);
    expect(patched.body).toMatchObject({ clientId, role: 'auditor', displayName: '审计员' });

    const secrets = [firstSecret, rotated.body.clientSecret as string];
    const stored = (await store.accounts.list()).map((account) => account.secretHash);
    const responsesWithSecrets = new Set([created.text, rotated.text]);
    for (const text of seen) {
      expect(text).not.toContain('scrypt$');
      expect(text).not.toContain('secretHash');
      for (const hash of stored) expect(text).not.toContain(hash.split('$').at(-1));
      if (!responsesWithSecrets.has(text)) for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const logged = log.text();
    expect(logged).not.toContain('scrypt$');
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });

  test('accounts: issuers need an existing department, other roles none; bad ids, duplicates and unknown ids have stable codes', async () => {
    const bad: [object, number, string][] = [
      [{ role: 'issuer' }, 400, 'ERR_ACCOUNT_INVALID'],
      [{ role: 'issuer', department: CREDIT_CODE }, 400, 'ERR_ACCOUNT_INVALID'],
      [{ role: 'clerk', department: CREDIT_CODE }, 400, 'ERR_ACCOUNT_INVALID'],
      [{ role: 'clerk', clientId: 'Bad_Id' }, 400, 'ERR_ACCOUNT_INVALID'],
      [{ role: 'clerk', clientId: 'ab' }, 400, 'ERR_ACCOUNT_INVALID'],
      [{ role: 'root' }, 400, 'ERR_REQUEST_INVALID'],
      [{ role: 'clerk', secretHash: 'scrypt$1' }, 400, 'ERR_REQUEST_INVALID'],
    ];
    for (const [input, status, code] of bad) {
      const res = await send('post', '/api/v1/admin/accounts', input);
      expect([res.status, res.body.code]).toEqual([status, code]);
    }
    await send('post', '/api/v1/admin/departments', {
      creditCode: CREDIT_CODE,
      name: '福州市市场监督管理局',
      divisionCode: '350100',
      licenseTypes: (await allLicenseTypeCodes()).slice(0, 1),
    });
    const issuer = await send('post', '/api/v1/admin/accounts', { role: 'issuer', clientId: 'fz-scjgj', department: CREDIT_CODE });
    expect(issuer.status).toBe(201);
    expect(issuer.body.account).toMatchObject({ clientId: 'fz-scjgj', role: 'issuer', department: CREDIT_CODE, displayName: 'fz-scjgj' });
    const again = await send('post', '/api/v1/admin/accounts', { role: 'clerk', clientId: 'fz-scjgj' });
    expect([again.status, again.body.code]).toEqual([409, 'ERR_ACCOUNT_EXISTS']);
    for (const path of ['/api/v1/admin/accounts/nobody-here/disable', '/api/v1/admin/accounts/nobody-here/rotate-secret', '/api/v1/admin/accounts/NOBODY/enable']) {
      const res = await send('post', path, undefined, secadmin);
      expect([res.status, res.body.code]).toEqual([404, 'ERR_ACCOUNT_NOT_FOUND']);
    }
    const demoted = await send('patch', '/api/v1/admin/accounts/fz-scjgj', { role: 'clerk' }, secadmin);
    expect(demoted.body).toMatchObject({ role: 'clerk', department: null });
    const promoted = await send('patch', '/api/v1/admin/accounts/fz-scjgj', { role: 'issuer' }, secadmin);
    expect([promoted.status, promoted.body.code]).toEqual([400, 'ERR_ACCOUNT_INVALID']);
  });

  test('every admin change is audited in order, by its administrator, with the state before and after and no secret or hash in the entry', async () => {
    const adminId = (await store.accounts.list()).find((account) => account.role === 'sysadmin')!.clientId;
    const secadminId = (await store.accounts.list()).find((account) => account.role === 'secadmin')!.clientId;
    await tokenFor(app, store, 'issuer');
    const before = (await store.audit.list(0, 1000)).length;
    await send('post', '/api/v1/admin/departments', { creditCode: CREDIT_CODE, name: '福州市市场监督管理局', divisionCode: '350100', licenseTypes: [TEACHER_TYPE] });
    await send('patch', `/api/v1/admin/departments/${CREDIT_CODE}`, { name: '福州市市场监管局' });
    const created = await send('post', '/api/v1/admin/accounts', { role: 'issuer', clientId: 'fz-issuer', department: CREDIT_CODE });
    await send('post', '/api/v1/admin/accounts/fz-issuer/approve', undefined, secadmin);
    await send('post', '/api/v1/admin/accounts/fz-issuer/disable', undefined, secadmin);
    await send('post', '/api/v1/admin/accounts/fz-issuer/disable', undefined, secadmin); // already disabled: nothing to record
    await send('post', '/api/v1/admin/accounts/fz-issuer/enable', undefined, secadmin);
    const rotated = await send('post', '/api/v1/admin/accounts/fz-issuer/rotate-secret', undefined, secadmin);
    await send('patch', '/api/v1/admin/accounts/fz-issuer', { displayName: '福州发证' });

    const entries = (await store.audit.list(0, 1000)).slice(before);
    expect(entries.map((entry) => [entry.action, entry.target])).toEqual([
      ['department.create', CREDIT_CODE],
      ['department.update', CREDIT_CODE],
      ['account.create', 'fz-issuer'],
      ['account.approve', 'fz-issuer'],
      ['account.disable', 'fz-issuer'],
      ['account.enable', 'fz-issuer'],
      ['account.rotate-secret', 'fz-issuer'],
      ['account.update', 'fz-issuer'],
    ]);
    const sys = { id: adminId, role: 'sysadmin', address: expect.any(String), requestId: expect.any(String) };
    const sec = { id: secadminId, role: 'secadmin', address: expect.any(String), requestId: expect.any(String) };
    expect(entries.map((entry) => entry.actor)).toEqual([sys, sys, sys, sec, sec, sec, sec, sys]);
    expect(entries[1]!.details).toEqual({
      name: { from: '福州市市场监督管理局', to: '福州市市场监管局' },
      before: expect.objectContaining({ name: '福州市市场监督管理局' }),
      after: expect.objectContaining({ name: '福州市市场监管局' }),
    });
    const state = { role: 'issuer', department: CREDIT_CODE, displayName: 'fz-issuer', disabled: false, pending: true, tokenVersion: 1 };
    expect(entries.slice(2).map((entry) => entry.details)).toEqual([
      { after: state },
      { before: state, after: { ...state, pending: false } },
      { before: { ...state, pending: false }, after: { ...state, pending: false, disabled: true, tokenVersion: 2 } },
      { before: { ...state, pending: false, disabled: true, tokenVersion: 2 }, after: { ...state, pending: false, tokenVersion: 3 } },
      { before: { ...state, pending: false, tokenVersion: 3 }, after: { ...state, pending: true, tokenVersion: 4, secretSetBy: { clientId: secadminId, role: 'secadmin' } } },
      { displayName: { from: 'fz-issuer', to: '福州发证' } },
    ]);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('scrypt');
    expect(text).not.toContain(created.body.clientSecret);
    expect(text).not.toContain(rotated.body.clientSecret);
  });
});
