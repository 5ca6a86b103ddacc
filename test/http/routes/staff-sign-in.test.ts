import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { otpauthTotp } from '../../../src/adapters/totp/otpauth-totp.js';
import { stepOf } from '../../../src/modules/staff/index.js';
import { bearer } from '../../support/auth.js';
import { BrowserSession } from '../../support/browser-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { codeAt, createPerson, type TestPerson } from '../../support/staff.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const OWN_ORIGIN = new URL(PUBLIC_URL).origin;
const START = '2026-11-21T02:00:10.000Z';

interface Served {
  readonly base: string;
  readonly server: Server;
}

async function serve(app: Express): Promise<Served> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A browser of the vault's own pages: JSON requests with the vault's Origin, cookies kept. */
function jsonRequest(browser: BrowserSession, path: string, body?: unknown, origin: string | null = OWN_ORIGIN): Promise<Response> {
  return browser.request(path, { method: body === undefined ? 'GET' : 'POST', headers: origin === null ? {} : { origin }, ...(body === undefined ? {} : { json: body }) });
}

describe('staff sign-in over HTTP', () => {
  let vault: VaultHarness;
  let key: Buffer;
  let log: ReturnType<typeof capturedLogger>;
  let app: Express;
  let served: Served;
  let clerk: TestPerson;
  let sysadmin: TestPerson;

  const browser = () => new BrowserSession(served.base);
  const signIn = (session: BrowserSession, person: TestPerson, otp: string | undefined = person.totpSecret ? codeAt(person.totpSecret, vault.clock) : undefined) =>
    jsonRequest(session, '/api/v1/staff/sign-in', { username: person.username, password: person.password, ...(otp === undefined ? {} : { otp }) });
  /** Each sign-in uses a code of its own time step (a code is accepted once). */
  const nextStep = () => vault.clock.set(new Date(vault.clock.now().getTime() + 30_000).toISOString());
  const auditEntries = async (action: string) => (await vault.store.audit.list(0, 100_000)).filter((entry) => entry.action === action);

  beforeAll(async () => {
    vault = await openVaultHarness(START);
    key = randomBytes(32);
    log = capturedLogger();
    app = mountedApp(vault, { logger: log.logger, jsonLimitBytes: 1024 * 1024, staffKey: key });
    served = await serve(app);
    clerk = await createPerson(vault.store, key, { username: 'wangfang', role: 'clerk', department: vault.department.creditCode });
    sysadmin = await createPerson(vault.store, key, { username: 'zhaomin', role: 'sysadmin' });
  });
  afterAll(async () => {
    await new Promise((resolve) => served.server.close(resolve));
    await vault.close();
  });
  beforeEach(() => nextStep());

  test('signing in sets an HttpOnly, SameSite=Strict, Secure __Host- cookie over https, for the whole session; GET session answers who', async () => {
    const session = browser();
    const res = await signIn(session, clerk);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; session: unknown };
    expect(body).toEqual({
      status: 'signed-in',
      session: {
        user: {
          username: 'wangfang',
          displayName: '测试wangfang',
          role: 'clerk',
          department: { creditCode: vault.department.creditCode, name: vault.department.name },
          totpEnrolled: true,
        },
        idleExpiresAt: expect.any(String),
        expiresAt: expect.any(String),
        lookupPolicy: 'number',
      },
    });
    const cookie = session.cookie('__Host-vault_staff');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attributes = cookie!.attributes.split('; ');
    expect(attributes).toEqual(expect.arrayContaining(['Max-Age=28800', 'Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']));
    expect(cookie!.attributes).not.toMatch(/Domain=/i);
    const who = await jsonRequest(session, '/api/v1/staff/session');
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual(body.session);
  });

  test('over plain http (development) the cookie is vault_staff, HttpOnly and SameSite=Strict, without Secure', async () => {
    const plain = mountedApp(vault, { logger: log.logger, jsonLimitBytes: 1024 * 1024, staffKey: key, publicUrl: 'http://localhost:3000' });
    const res = await request(plain)
      .post('/api/v1/staff/sign-in')
      .set('Origin', 'http://localhost:3000')
      .send({ username: sysadmin.username, password: sysadmin.password, otp: codeAt(sysadmin.totpSecret!, vault.clock) })
      .expect(200);
    const [setCookie] = res.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toMatch(/^vault_staff=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
  });

  test('no session, or a bearer token instead of one: GET session → 401 ERR_STAFF_SESSION_MISSING', async () => {
    expect(await (await jsonRequest(browser(), '/api/v1/staff/session')).json()).toMatchObject({ status: 401, code: 'ERR_STAFF_SESSION_MISSING' });
    const service = await createPerson(vault.store, key, { username: 'svc-sysadmin', role: 'sysadmin', kind: 'service', enrolled: false });
    const token = await request(app).post('/api/v1/auth/token').send({ clientId: service.username, clientSecret: service.password }).expect(200);
    const res = await request(app).get('/api/v1/staff/session').set('Authorization', bearer(token.body.accessToken)).expect(401);
    expect(res.body.code).toBe('ERR_STAFF_SESSION_MISSING');
    // The bearer token still opens the API for programs.
    await request(app).get('/api/v1/admin/accounts').set('Authorization', bearer(token.body.accessToken)).expect(200);
  });

  test('the cookie opens every API route for the person’s role exactly as a bearer token does, audited as the person', async () => {
    const admin = browser();
    expect((await signIn(admin, sysadmin)).status).toBe(200);
    const list = await jsonRequest(admin, '/api/v1/admin/accounts');
    expect(list.status).toBe(200);
    const created = await jsonRequest(admin, '/api/v1/admin/accounts', { clientId: 'chenjing', kind: 'person', role: 'clerk', displayName: '陈静' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ account: { clientId: 'chenjing', kind: 'person', pending: true, totpEnrolled: false } });
    const [entry] = await auditEntries('account.create').then((entries) => entries.filter((e) => e.target === 'chenjing'));
    expect(entry?.actor).toMatchObject({ id: 'zhaomin', role: 'sysadmin', requestId: expect.any(String) });

    const desk = browser();
    nextStep();
    expect((await signIn(desk, clerk)).status).toBe(200);
    expect(await (await jsonRequest(desk, '/api/v1/admin/accounts')).json()).toMatchObject({ status: 403, code: 'ERR_FORBIDDEN' });
  });

  test("a change with the cookie needs the vault's own Origin: none or another site's → 403 ERR_ORIGIN_REFUSED, nothing changes", async () => {
    const admin = browser();
    expect((await signIn(admin, sysadmin)).status).toBe(200);
    for (const origin of [null, 'https://evil.example', 'http://zzk.example.gov.cn']) {
      const res = await jsonRequest(admin, '/api/v1/admin/accounts', { clientId: 'forged', kind: 'person', role: 'clerk' }, origin);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'ERR_ORIGIN_REFUSED' });
    }
    await expect(vault.store.accounts.get('forged')).resolves.toBeNull();
    // Signing in is a change too: another site cannot sign a browser in.
    nextStep();
    expect(
      (await jsonRequest(browser(), '/api/v1/staff/sign-in', { username: clerk.username, password: clerk.password, otp: codeAt(clerk.totpSecret!, vault.clock) }, null)).status,
    ).toBe(403);
    // Reading needs no Origin.
    expect((await jsonRequest(admin, '/api/v1/admin/accounts', undefined, null)).status).toBe(200);
  });

  test('a person is refused at the token endpoint as for a wrong secret; a service account is refused at sign-in', async () => {
    const res = await request(app).post('/api/v1/auth/token').send({ clientId: clerk.username, clientSecret: clerk.password }).expect(401);
    expect(res.body.code).toBe('ERR_AUTH_INVALID_CLIENT');
    const service = await createPerson(vault.store, key, { username: 'svc-clerk', role: 'clerk', kind: 'service', enrolled: false });
    const refused = await signIn(browser(), service, '123456');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
  });

  test('enrolment: a QR code of the otpauth URI, then the first code signs in and sets the cookie', async () => {
    const issuer = await createPerson(vault.store, key, { username: 'liqiang', role: 'issuer', department: vault.department.creditCode, enrolled: false });
    const session = browser();
    const res = await signIn(session, issuer);
    const body = (await res.json()) as { status: string; enrolment: { ticket: string; secret: string; otpauthUri: string; qrSvg: string } };
    expect(body.status).toBe('enrol');
    expect(body.enrolment.qrSvg).toMatch(/^<svg [^>]*role="img"/);
    expect(session.cookie('__Host-vault_staff')).toBeUndefined();
    const bad = await jsonRequest(session, '/api/v1/staff/totp-enrolment', { ticket: body.enrolment.ticket, otp: '12345' });
    expect(await bad.json()).toMatchObject({ status: 400 });
    const otp = otpauthTotp.codeAt(body.enrolment.secret, stepOf(vault.clock.now()));
    const done = await jsonRequest(session, '/api/v1/staff/totp-enrolment', { ticket: body.enrolment.ticket, otp });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'signed-in', session: { user: { username: 'liqiang', totpEnrolled: true } } });
    expect((await jsonRequest(session, '/api/v1/staff/session')).status).toBe(200);
    expect(await auditEntries('staff.totp.enrolled')).toEqual([
      expect.objectContaining({ target: 'liqiang', actor: expect.objectContaining({ id: 'liqiang', address: expect.any(String) }) }),
    ]);
  });

  test('sign-out ends this session and clears the cookie; sign-out everywhere ends the other devices’ too', async () => {
    const secadmin = await createPerson(vault.store, key, { username: 'sunli', role: 'secadmin' });
    const phone = browser();
    const desk = browser();
    const third = browser();
    expect((await signIn(phone, secadmin)).status).toBe(200);
    nextStep();
    expect((await signIn(desk, secadmin)).status).toBe(200);
    nextStep();
    expect((await signIn(third, secadmin)).status).toBe(200);
    const out = await jsonRequest(third, '/api/v1/staff/sign-out', {});
    expect(await out.json()).toEqual({ sessionsEnded: 1 });
    expect(third.cookie('__Host-vault_staff')).toBeUndefined();
    const everywhere = await jsonRequest(desk, '/api/v1/staff/sign-out-everywhere', {});
    expect(await everywhere.json()).toEqual({ sessionsEnded: 2 });
    expect(await (await jsonRequest(phone, '/api/v1/admin/accounts')).json()).toMatchObject({ status: 401 });
    expect((await jsonRequest(phone, '/api/v1/staff/session')).status).toBe(401);
    expect(await (await jsonRequest(browser(), '/api/v1/staff/sign-out', {})).json()).toEqual({ sessionsEnded: 0 });
  });

  test('every sign-in, refusal, lockout and sign-out is in the audit log with the account, address and request id; logs hold no password, code or token', async () => {
    const auditor = await createPerson(vault.store, key, { username: 'zhoujie', role: 'auditor' });
    const session = browser();
    expect((await signIn(session, auditor, '000000')).status).toBe(401);
    nextStep();
    const code = codeAt(auditor.totpSecret!, vault.clock);
    expect((await signIn(session, auditor, code)).status).toBe(200);
    const token = session.cookie('__Host-vault_staff')!.value;
    await jsonRequest(session, '/api/v1/staff/sign-out', {});
    for (const action of ['staff.sign-in', 'staff.sign-in.refused', 'staff.sign-out']) {
      const entries = (await auditEntries(action)).filter((entry) => entry.target === 'zhoujie');
      expect(entries).toEqual([expect.objectContaining({ actor: { id: 'zhoujie', role: 'auditor', address: expect.any(String), requestId: expect.any(String) } })]);
    }
    expect((await auditEntries('staff.sign-in.refused')).find((entry) => entry.target === 'zhoujie')?.details).toEqual({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
    expect(await auditEntries('staff.sign-out-everywhere')).not.toHaveLength(0);
    const text = `${log.text()}${JSON.stringify(await vault.store.audit.list(0, 100_000))}`;
    for (const secret of [auditor.password, code, token, auditor.totpSecret!, clerk.password]) expect(text).not.toContain(secret);
  });
});

describe('lockout across two API nodes sharing one store', () => {
  let vault: VaultHarness;

  beforeAll(async () => {
    vault = await openVaultHarness(START);
  });
  afterAll(() => vault.close());

  test('failures at either node count together: the fifth locks the name at both, 423 with Retry-After, even with the right password', async () => {
    const key = randomBytes(32);
    const logger = capturedLogger().logger;
    const nodes = [mountedApp(vault, { logger, jsonLimitBytes: 1024 * 1024, staffKey: key }), mountedApp(vault, { logger, jsonLimitBytes: 1024 * 1024, staffKey: key })];
    const clerk = await createPerson(vault.store, key, { username: 'wangfang', role: 'clerk' });
    const attempt = (node: Express, password: string) =>
      request(node)
        .post('/api/v1/staff/sign-in')
        .set('Origin', OWN_ORIGIN)
        .send({ username: clerk.username, password, otp: codeAt(clerk.totpSecret!, vault.clock) });
    for (const node of [0, 1, 0, 1]) expect((await attempt(nodes[node]!, 'wrong-password')).body.code).toBe('ERR_STAFF_SIGN_IN_FAILED');
    const locking = await attempt(nodes[0]!, 'wrong-password').expect(423);
    expect(locking.body).toMatchObject({ code: 'ERR_STAFF_LOCKED', details: { retryAfterSeconds: 900 } });
    expect(locking.headers['retry-after']).toBe('900');
    vault.clock.set('2026-11-21T02:10:10.000Z');
    const refused = await attempt(nodes[1]!, clerk.password).expect(423);
    expect(refused.headers['retry-after']).toBe('300');
    expect((await vault.store.audit.list(0, 10_000)).filter((entry) => entry.action === 'staff.lockout')).toHaveLength(1);
    vault.clock.set('2026-11-21T02:15:10.000Z');
    await attempt(nodes[1]!, clerk.password).expect(200);
  });
});
