import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router, type Express } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { principalOf, requireRole } from '../../../src/http/middleware/authenticate.js';
import { createAccount, disableAccount, FailedAttemptLimiter, ROLES, rotateSecret, updateAccount, type Role } from '../../../src/modules/auth/index.js';
import { DEMO_DEPARTMENT } from '../../../src/modules/departments/index.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import { systemClock, type Clock } from '../../../src/shared/clock.js';
import { authTestApp, bearer, ensureDepartment, TEST_ACTOR, TEST_ISSUER, tokenFor, type AuthKit } from '../../support/auth.js';

/** Protected probes: who am I, and a route only issuers may call. */
function probeRoutes(): Router {
  const router = Router();
  router.get('/api/v1/whoami', (_req, res) => {
    res.json(principalOf(res));
  });
  router.post('/api/v1/issuer-only', requireRole('issuer'), (_req, res) => {
    res.json({ ok: true });
  });
  return router;
}

/** A clock the test moves by hand. */
function manualClock(start: string): Clock & { advance(seconds: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (seconds) => (now += seconds * 1000) };
}

describe('access tokens', () => {
  let dir: string;
  let store: VaultStore;
  let app: Express;
  let kit: AuthKit;
  let log: ReturnType<typeof authTestApp>['log'];
  const deps = () => ({ store, clock: systemClock });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-auth-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    ({ app, kit, log } = authTestApp(store, { routers: [probeRoutes()] }));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function account(role: Role, clientId = `${role}-probe`) {
    const department = role === 'issuer' ? await ensureDepartment(store) : null;
    return createAccount(deps(), TEST_ACTOR, { clientId, role, department });
  }

  /** Signs claims with the vault's own key: only the named defect is wrong. */
  function forge(claims: Record<string, unknown>, options: jwt.SignOptions = {}, key: KeyObject = kit.key.privateKey): string {
    const iat = Math.floor(Date.now() / 1000);
    const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
    const payload = defined({ role: 'clerk', department: null, sv: 1, iat, exp: iat + 600, ...claims });
    const signOptions = defined<jwt.SignOptions>({
      algorithm: 'ES256',
      keyid: kit.key.keyId,
      issuer: TEST_ISSUER,
      audience: 'license-vault-api',
      subject: 'clerk-probe',
      jwtid: 'test-jti',
      ...options,
    });
    return jwt.sign(payload, key, signOptions);
  }

  async function expectInvalid(token: string, code = 'ERR_AUTH_TOKEN_INVALID') {
    const res = await request(app).get('/api/v1/whoami').set('Authorization', bearer(token)).expect(401);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({ code, status: 401 });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="license-vault", error="invalid_token"');
    return res;
  }

  test.each(ROLES)('role %s: the token endpoint gives a short-lived ES256 JWT carrying iss, aud, sub, exp, role and department', async (role) => {
    const { account: created, clientSecret } = await account(role);
    const res = await request(app).post('/api/v1/auth/token').send({ clientId: created.clientId, clientSecret }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const decoded = jwt.decode(res.body.accessToken, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: kit.key.keyId });
    const payload = decoded.payload as jwt.JwtPayload;
    expect(payload).toMatchObject({
      iss: TEST_ISSUER,
      aud: 'license-vault-api',
      sub: created.clientId,
      role,
      department: role === 'issuer' ? DEMO_DEPARTMENT.creditCode : null,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(payload.exp! - payload.iat!).toBe(900);
    const who = await request(app).get('/api/v1/whoami').set('Authorization', bearer(res.body.accessToken)).set('X-Request-Id', `whoami-${role}`).expect(200);
    expect(who.body).toEqual({
      clientId: created.clientId,
      role,
      department: role === 'issuer' ? DEMO_DEPARTMENT.creditCode : null,
      origin: { address: expect.stringMatching(/127\.0\.0\.1/), requestId: `whoami-${role}` },
    });
  });

  test('wrong secret, unknown client and disabled account get the same 401 ERR_AUTH_INVALID_CLIENT', async () => {
    const { account: clerk, clientSecret } = await account('clerk');
    const { account: gone, clientSecret: goneSecret } = await account('auditor');
    await account('auditor', 'auditor-spare'); // the last enabled account of a role cannot be disabled
    await disableAccount(deps(), TEST_ACTOR, gone.clientId);
    const answers = [];
    for (const body of [
      { clientId: clerk.clientId, clientSecret: `${clientSecret}x` },
      { clientId: 'nobody-here', clientSecret },
      { clientId: 'Not A Valid Id!', clientSecret },
      { clientId: gone.clientId, clientSecret: goneSecret },
    ]) {
      const res = await request(app).post('/api/v1/auth/token').send(body).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="license-vault"');
      const { requestId, ...rest } = res.body;
      expect(requestId).toBe(res.headers['x-request-id']);
      answers.push(rest);
    }
    expect(answers[0]).toEqual({
      type: 'urn:license-vault:problem:ERR_AUTH_INVALID_CLIENT',
      title: 'The client id or secret is wrong, or the account is disabled',
      status: 401,
      detail: 'the client id or secret is wrong, or the account is disabled',
      code: 'ERR_AUTH_INVALID_CLIENT',
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(log.text()).not.toContain(clientSecret);
  });

  test('the token request body is validated: strings of at most 200 characters, no extra keys', async () => {
    const { account: clerk, clientSecret } = await account('clerk');
    for (const body of [
      {},
      { clientId: clerk.clientId },
      { clientId: clerk.clientId, clientSecret, scope: 'all' },
      { clientId: clerk.clientId, clientSecret: 'x'.repeat(201) },
      { clientId: 42, clientSecret },
    ]) {
      const res = await request(app).post('/api/v1/auth/token').send(body).expect(400);
      expect(res.body.code).toBe('ERR_REQUEST_INVALID');
      expect(JSON.stringify(res.body)).not.toContain(clientSecret);
    }
    await request(app).post('/api/v1/auth/token').type('form').send(`clientId=${clerk.clientId}&clientSecret=${clientSecret}`).expect(400);
  });

  test('no token → 401 ERR_AUTH_TOKEN_MISSING with a bearer challenge; a non-bearer header → ERR_AUTH_TOKEN_INVALID', async () => {
    const res = await request(app).get('/api/v1/whoami').expect(401);
    expect(res.body.code).toBe('ERR_AUTH_TOKEN_MISSING');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="license-vault"');
    const basic = await request(app).get('/api/v1/whoami').set('Authorization', 'Basic Y2xlcms6c2VjcmV0').expect(401);
    expect(basic.body.code).toBe('ERR_AUTH_TOKEN_INVALID');
    await expectInvalid('not-a-jwt');
    // The token endpoint and unknown paths outside /api/v1 need no token.
    await request(app).get('/nowhere').expect(404);
  });

  test('a tampered token → 401 ERR_AUTH_TOKEN_INVALID', async () => {
    await account('clerk');
    const token = forge({});
    await request(app).get('/api/v1/whoami').set('Authorization', bearer(token)).expect(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'sysadmin' })).toString('base64url');
    await expectInvalid(`${header}.${promoted}.${signature}`);
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    await expectInvalid(`${header}.${payload}.${flipped}`);
  });

  test('an expired token → 401 ERR_AUTH_TOKEN_INVALID (signed with past iat and exp by the same key)', async () => {
    await account('clerk');
    const past = Math.floor(Date.now() / 1000) - 3600;
    const res = await expectInvalid(forge({ iat: past, exp: past + 900 }));
    expect(res.body.detail).toBe('the access token has expired');
  });

  test('a token outlives its lifetime on a clock the test controls', async () => {
    await store.close();
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    const clock = manualClock('2026-11-21T08:00:00Z');
    ({ app, kit } = authTestApp(store, { clock, routers: [probeRoutes()] }));
    const { account: clerk, clientSecret } = await account('clerk');
    const { body } = await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret }).expect(200);
    clock.advance(899);
    await request(app).get('/api/v1/whoami').set('Authorization', bearer(body.accessToken)).expect(200);
    clock.advance(10);
    await expectInvalid(body.accessToken);
  });

  test('an `alg: none` token → 401 ERR_AUTH_TOKEN_INVALID', async () => {
    await account('clerk');
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: TEST_ISSUER, aud: 'license-vault-api', sub: 'clerk-probe', role: 'clerk', department: null, sv: 1, iat: now, exp: now + 600, jti: 'x' };
    await expectInvalid(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`);
    await expectInvalid(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}`);
  });

  test('a token signed with another P-256 key → 401 ERR_AUTH_TOKEN_INVALID', async () => {
    await account('clerk');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expectInvalid(forge({}, {}, other));
    await expectInvalid(forge({}, { keyid: undefined }, other));
  });

  test('an HS256 token keyed with the public key (algorithm confusion) → 401 ERR_AUTH_TOKEN_INVALID', async () => {
    await account('clerk');
    const publicPem = kit.key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: TEST_ISSUER, aud: 'license-vault-api', sub: 'clerk-probe', role: 'clerk', department: null, sv: 1, iat: now, exp: now + 600, jti: 'x' })}`;
    await expectInvalid(`${unsigned}.${createHmac('sha256', publicPem).update(unsigned).digest('base64url')}`);
  });

  test('a token for another audience → 401 ERR_AUTH_TOKEN_INVALID', async () => {
    await account('clerk');
    await expectInvalid(forge({}, { audience: 'some-other-api' }));
  });

  test('a token from another issuer → 401 ERR_AUTH_TOKEN_INVALID', async () => {
    await account('clerk');
    await expectInvalid(forge({}, { issuer: 'https://attacker.example' }));
  });

  test('a token without exp → 401 ERR_AUTH_TOKEN_INVALID (jsonwebtoken alone would accept it)', async () => {
    await account('clerk');
    const token = forge({ exp: undefined });
    expect((jwt.decode(token) as jwt.JwtPayload).exp).toBeUndefined();
    // The measured trap: with the pinned options jsonwebtoken itself lets it through.
    expect(() => jwt.verify(token, kit.key.publicKey, { algorithms: ['ES256'], audience: 'license-vault-api', issuer: TEST_ISSUER, maxAge: 900 })).not.toThrow();
    await expectInvalid(token);
  });

  test('a token claiming a longer life than the vault issues → 401', async () => {
    await account('clerk');
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(forge({ iat: now, exp: now + 86_400 }));
  });

  test('a token for an account disabled after issuance → 401 ERR_AUTH_ACCOUNT_DISABLED', async () => {
    const token = await tokenFor(app, store, 'clerk');
    await account('clerk', 'clerk-spare'); // the last enabled account of a role cannot be disabled
    const who = await request(app).get('/api/v1/whoami').set('Authorization', bearer(token)).expect(200);
    await disableAccount(deps(), TEST_ACTOR, who.body.clientId);
    await expectInvalid(token, 'ERR_AUTH_ACCOUNT_DISABLED');
  });

  test('a role or department change invalidates tokens issued before it', async () => {
    const token = await tokenFor(app, store, 'clerk');
    await account('clerk', 'clerk-spare'); // the last enabled account of a role cannot be given another role
    const { body: who } = await request(app).get('/api/v1/whoami').set('Authorization', bearer(token)).expect(200);
    await updateAccount(deps(), TEST_ACTOR, who.clientId, { role: 'auditor' });
    const res = await expectInvalid(token);
    expect(res.body.detail).toContain('changed since this access token was issued');

    const issuerToken = await tokenFor(app, store, 'issuer');
    const { body: issuer } = await request(app).get('/api/v1/whoami').set('Authorization', bearer(issuerToken)).expect(200);
    const other = await ensureDepartment(store, '91350100M000100Y43');
    await updateAccount(deps(), TEST_ACTOR, issuer.clientId, { department: other });
    await expectInvalid(issuerToken);
  });

  test('rotating the secret cuts off the old secret and the tokens issued with it', async () => {
    const { account: clerk, clientSecret } = await account('clerk');
    const { body: old } = await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret }).expect(200);
    const rotated = await rotateSecret(deps(), TEST_ACTOR, clerk.clientId);
    await expectInvalid(old.accessToken);
    await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret }).expect(401);
    const { body: fresh } = await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret: rotated.clientSecret }).expect(200);
    await request(app).get('/api/v1/whoami').set('Authorization', bearer(fresh.accessToken)).expect(200);
  });

  test('a well-signed token for an account that does not exist is refused', async () => {
    const forged = forge({}, { subject: 'ghost-account' });
    await expectInvalid(forged);
  });

  test('requireRole lets only the named roles through: 403 ERR_FORBIDDEN otherwise', async () => {
    const clerk = await tokenFor(app, store, 'clerk');
    const res = await request(app).post('/api/v1/issuer-only').set('Authorization', bearer(clerk)).expect(403);
    expect(res.body).toMatchObject({ code: 'ERR_FORBIDDEN', details: { requiredRoles: ['issuer'] } });
    const issuer = await tokenFor(app, store, 'issuer');
    await request(app).post('/api/v1/issuer-only').set('Authorization', bearer(issuer)).expect(200, { ok: true });
  });

  test('repeated failures for one client id and address are throttled with 429 and Retry-After', async () => {
    await store.close();
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    const clock = manualClock('2026-11-21T08:00:00Z');
    ({ app } = authTestApp(store, { limiter: new FailedAttemptLimiter(clock, 3, 60_000), routers: [probeRoutes()] }));
    const { account: clerk, clientSecret } = await account('clerk');
    for (let i = 0; i < 3; i += 1) await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret: 'wrong' }).expect(401);
    const throttled = await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret }).expect(429);
    expect(throttled.body.code).toBe('ERR_AUTH_TOO_MANY_ATTEMPTS');
    expect(throttled.headers['retry-after']).toBe('60');
    // Another client id is not affected.
    const { account: other, clientSecret: otherSecret } = await account('auditor');
    await request(app).post('/api/v1/auth/token').send({ clientId: other.clientId, clientSecret: otherSecret }).expect(200);
    clock.advance(61);
    await request(app).post('/api/v1/auth/token').send({ clientId: clerk.clientId, clientSecret }).expect(200);
  });
});
