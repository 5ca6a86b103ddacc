import request from 'supertest';
import type { Express } from 'express';
import { ecdsaCheckpointSigner } from '../../../src/adapters/pki/checkpoint-signer.js';
import { generateTokenSigningKey } from '../../../src/adapters/tokens/signing-key.js';
import { auditRoutes } from '../../../src/http/routes/audit.js';
import { licenseRoutes } from '../../../src/http/routes/licenses.js';
import { SecurityEventRecorder, type AuditEntry } from '../../../src/modules/audit/index.js';
import { actorOf, createAccount, FailedAttemptLimiter, type Role } from '../../../src/modules/auth/index.js';
import { LicenseQueries } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, TEST_ACTOR, tokenFor, type AuthKit } from '../../support/auth.js';
import { licenseRouteDependencies, openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

/** Every security event, over HTTP with a real store: the entry names the account, the client address and the request id sent. */
describe('security events in the audit log', () => {
  let vault: VaultHarness;
  let app: Express;
  let kit: AuthKit;
  const tokens: Partial<Record<Role | 'otherIssuer', string>> = {};
  const as = (who: Role | 'otherIssuer') => ({ Authorization: `Bearer ${tokens[who] ?? ''}` });
  const LOCAL = expect.stringMatching(/127\.0\.0\.1$/);
  let sequence = 0;
  const requestId = (name: string) => `sec-${name}-${++sequence}`;

  /** The entries written for the request with this id. */
  async function entriesOf(id: string): Promise<AuditEntry[]> {
    return (await vault.store.audit.list(0, 10_000)).filter((entry) => entry.actor.requestId === id);
  }

  async function entryOf(id: string, action: string): Promise<AuditEntry> {
    const found = (await entriesOf(id)).filter((entry) => entry.action === action);
    expect(found).toHaveLength(1);
    expect(found[0]!.actor.address).toEqual(LOCAL);
    return found[0]!;
  }

  beforeAll(async () => {
    vault = await openVaultHarness();
    const key = generateTokenSigningKey();
    const denials = new SecurityEventRecorder({ audit: vault.store.audit, clock: vault.clock });
    const queries = new LicenseQueries(vault.store, vault.clock, vault.fingerprinter, (principal, identifier, owner) =>
      denials.record({ action: 'license.read.denied', actor: actorOf(principal), target: identifier, details: { department: principal.department, ...owner } }),
    );
    const built = authTestApp(vault.store, {
      clock: vault.clock,
      key,
      limiter: new FailedAttemptLimiter(vault.clock, 3),
      routers: [
        licenseRoutes({ ...licenseRouteDependencies(vault, { lookupsPerMinute: 2 }), queries }),
        auditRoutes({ audit: vault.store.audit, signer: ecdsaCheckpointSigner(key), clock: vault.clock }),
      ],
    });
    app = built.app;
    kit = built.kit;
    for (const role of ['clerk', 'auditor', 'sysadmin'] as const) tokens[role] = await tokenFor(app, vault.store, role);
    tokens.issuer = await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode);
    tokens.otherIssuer = await tokenFor(app, vault.store, 'issuer');
  });
  afterAll(() => vault.close());

  test('a token issued: auth.token.issued by the account, with its role', async () => {
    const { account, clientSecret } = await createAccount({ store: vault.store, clock: vault.clock }, TEST_ACTOR, { clientId: 'sec-clerk', role: 'clerk', department: null });
    const id = requestId('issued');
    await request(app).post('/api/v1/auth/token').set('X-Request-Id', id).send({ clientId: account.clientId, clientSecret }).expect(200);
    const entry = await entryOf(id, 'auth.token.issued');
    expect(entry).toMatchObject({ actor: { id: 'sec-clerk', role: 'clerk', address: LOCAL, requestId: id }, target: 'sec-clerk' });
  });

  test('a token refused: auth.token.refused by anonymous, with the client id tried cut to 64 characters', async () => {
    const id = requestId('refused');
    const tried = `x${'y'.repeat(150)}`;
    await request(app).post('/api/v1/auth/token').set('X-Request-Id', id).send({ clientId: tried, clientSecret: 'wrong-secret' }).expect(401);
    const entry = await entryOf(id, 'auth.token.refused');
    expect(entry).toMatchObject({
      actor: { id: 'anonymous', role: 'anonymous', requestId: id },
      target: tried.slice(0, 64),
      details: { clientId: tried.slice(0, 64), code: 'ERR_AUTH_INVALID_CLIENT' },
    });
  });

  test('the failure that locks a client out: auth.lockout; the refusals after it are counted, not written', async () => {
    const { account } = await createAccount({ store: vault.store, clock: vault.clock }, TEST_ACTOR, { clientId: 'sec-locked', role: 'clerk', department: null });
    const ids = [requestId('lock'), requestId('lock'), requestId('lock'), requestId('lock'), requestId('lock')];
    for (const [index, id] of ids.entries()) {
      await request(app)
        .post('/api/v1/auth/token')
        .set('X-Request-Id', id)
        .send({ clientId: account.clientId, clientSecret: 'not-the-secret' })
        .expect(index < 3 ? 401 : 429);
    }
    const lockout = await entryOf(ids[2]!, 'auth.lockout');
    expect(lockout).toMatchObject({ target: 'sec-locked', details: { scope: 'client-and-address', failures: 3, windowSeconds: 300 } });
    // The first refusal was written; the repeats (two wrong secrets, two while locked out) are only counted so far.
    await expect(entriesOf(ids[0]!)).resolves.toEqual([expect.objectContaining({ action: 'auth.token.refused' })]);
    for (const id of ids.slice(1)) expect((await entriesOf(id)).map((entry) => entry.action)).toEqual(id === ids[2] ? ['auth.lockout'] : []);
  });

  test('a 401: auth.unauthenticated with the code, for a missing and for a bad token', async () => {
    const missing = requestId('401');
    await request(app).get('/api/v1/audit').set('X-Request-Id', missing).expect(401);
    expect((await entryOf(missing, 'auth.unauthenticated')).details).toEqual({ code: 'ERR_AUTH_TOKEN_MISSING' });
    // The next anonymous 401 from this address in the same minute would only be counted: start a new window.
    vault.clock.set(new Date(vault.clock.now().getTime() + 60_000).toISOString());
    const bad = requestId('401');
    await request(app).get('/api/v1/audit').set('X-Request-Id', bad).set('Authorization', 'Bearer not.a.token').expect(401);
    expect(await entryOf(bad, 'auth.unauthenticated')).toMatchObject({ actor: { id: 'anonymous' }, details: { code: 'ERR_AUTH_TOKEN_INVALID' } });
  });

  test('a 403: auth.forbidden by the account, with the route and the roles it needs', async () => {
    const id = requestId('403');
    await request(app).get('/api/v1/audit').set(as('clerk')).set('X-Request-Id', id).expect(403);
    const entry = await entryOf(id, 'auth.forbidden');
    expect(entry).toMatchObject({ actor: { role: 'clerk', requestId: id }, target: 'GET /api/v1/audit', details: { requiredRoles: ['auditor'] } });
  });

  test("a 403 from a use case's duty: auth.forbidden with the code, as for the role check", async () => {
    const id = requestId('duty');
    // The route lets system administrators create accounts; the duty of creating an auditor is the security administrator's.
    await request(app).post('/api/v1/admin/accounts').set(as('sysadmin')).set('X-Request-Id', id).send({ role: 'auditor' }).expect(403);
    const entry = await entryOf(id, 'auth.forbidden');
    expect(entry).toMatchObject({
      actor: { role: 'sysadmin', requestId: id },
      target: 'POST /api/v1/admin/accounts',
      details: { code: 'ERR_FORBIDDEN', requiredRoles: ['secadmin'] },
    });
  });

  test('a 429 on a protected route: rate.limited by the account', async () => {
    const lookup = (id: string) =>
      request(app)
        .get(`/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent('办理入学登记')}`)
        .set(as('clerk'))
        .set('X-Request-Id', id);
    const ids = [requestId('429'), requestId('429'), requestId('429')];
    await lookup(ids[0]!).expect(200);
    await lookup(ids[1]!).expect(200);
    await lookup(ids[2]!).expect(429);
    const entry = await entryOf(ids[2]!, 'rate.limited');
    expect(entry).toMatchObject({ actor: { role: 'clerk' }, target: 'GET /api/v1/holders/:holderId/licenses', details: { limit: 2, windowSeconds: 60 } });
  });

  test("an issuer reading another department's license gets 404, and license.read.denied is written with the identifier", async () => {
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const issue = requestId('issue');
    const issued = await request(app)
      .post('/api/v1/licenses')
      .set(as('issuer'))
      .set('X-Request-Id', issue)
      .send({ licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' }, fields: teacher.example.fields })
      .expect(201);
    const identifier = issued.body.identifier as string;
    // Use cases that audit with the principal carry its origin too.
    expect(await entryOf(issue, 'license.issue')).toMatchObject({ actor: { role: 'issuer', address: LOCAL, requestId: issue }, target: identifier });
    const purpose = `purpose=${encodeURIComponent('办理入学登记')}`;
    const read = requestId('denied');
    await request(app).get(`/api/v1/licenses/${identifier}?${purpose}`).set(as('otherIssuer')).set('X-Request-Id', read).expect(404);
    const entry = await entryOf(read, 'license.read.denied');
    // The owner's fingerprint: the attempt shows in the holder's usage record.
    const holderFingerprint = vault.fingerprinter.fingerprint({ type: 'citizen', value: '11010519491231002X' });
    expect(entry).toMatchObject({ actor: { role: 'issuer', requestId: read }, target: identifier, details: { department: '11350100DEM000014R', holderFingerprint } });
    // A license that does not exist is not a denial: nothing is written.
    const missing = requestId('missing');
    await request(app)
      .get(`/api/v1/licenses/${identifier.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}?${purpose}`)
      .set(as('otherIssuer'))
      .set('X-Request-Id', missing);
    await expect(entriesOf(missing)).resolves.toEqual([]);
    // The issuer's own read is audited as a read, with where it came from.
    const own = requestId('own');
    await request(app).get(`/api/v1/licenses/${identifier}?${purpose}`).set(as('issuer')).set('X-Request-Id', own).expect(200);
    expect(await entryOf(own, 'license.read')).toMatchObject({ actor: { role: 'issuer', address: LOCAL, requestId: own }, target: identifier });
  });

  test("the auditor's own reads, verifications and checkpoints: audit.read with the range, audit.verify with the outcome, audit.checkpoint with the head", async () => {
    const read = requestId('audit-read');
    const page = await request(app).get('/api/v1/audit?after=1&limit=3').set(as('auditor')).set('X-Request-Id', read).expect(200);
    expect((await entryOf(read, 'audit.read')).details).toEqual({ after: 1, limit: 3, returned: 3, firstSeq: 2, lastSeq: 4 });
    expect(page.body.items).toHaveLength(3);

    const checkpointId = requestId('checkpoint');
    const checkpoint = await request(app).post('/api/v1/audit/checkpoints').set(as('auditor')).set('X-Request-Id', checkpointId).expect(201);
    expect((await entryOf(checkpointId, 'audit.checkpoint')).details).toEqual({
      seq: checkpoint.body.seq,
      hash: checkpoint.body.hash,
      at: checkpoint.body.at,
      keyId: checkpoint.body.keyId,
    });

    const whole = requestId('verify');
    const verified = await request(app).get('/api/v1/audit/verify').set(as('auditor')).set('X-Request-Id', whole).expect(200);
    expect(verified.body).toMatchObject({ ok: true });
    expect((await entryOf(whole, 'audit.verify')).details).toMatchObject({ ok: true, entries: verified.body.entries, problem: null });

    const against = requestId('verify');
    await request(app).post('/api/v1/audit/verify').set(as('auditor')).set('X-Request-Id', against).send({ checkpoint: checkpoint.body }).expect(200);
    expect((await entryOf(against, 'audit.verify')).details).toMatchObject({ ok: true, checkpoint: { seq: checkpoint.body.seq, keyId: checkpoint.body.keyId } });
    // And the log with all these entries still verifies.
    await expect(request(app).get('/api/v1/audit/verify').set(as('auditor')).expect(200)).resolves.toMatchObject({ body: { ok: true } });
  });

  test('a department change: department.update by the system administrator, with before and after, the address and the request id', async () => {
    const id = requestId('department');
    await request(app).patch(`/api/v1/admin/departments/${TEST_DEPARTMENT.creditCode}`).set(as('sysadmin')).set('X-Request-Id', id).send({ name: '福州市市场监管局' }).expect(200);
    const entry = await entryOf(id, 'department.update');
    expect(entry).toMatchObject({
      actor: { role: 'sysadmin', address: LOCAL, requestId: id },
      target: TEST_DEPARTMENT.creditCode,
      details: { name: { from: TEST_DEPARTMENT.name, to: '福州市市场监管局' }, before: { name: TEST_DEPARTMENT.name }, after: { name: '福州市市场监管局' } },
    });
  });

  test("a 429 from the token endpoint's per-address budget: rate.limited by anonymous, before any secret is checked", async () => {
    const budgeted = authTestApp(vault.store, { clock: vault.clock, tokenRequestsPerMinute: 1 }).app;
    await request(budgeted).post('/api/v1/auth/token').send({ clientId: 'sec-budget', clientSecret: 'guess' }).expect(401);
    const id = requestId('budget');
    await request(budgeted).post('/api/v1/auth/token').set('X-Request-Id', id).send({ clientId: 'sec-budget', clientSecret: 'guess' }).expect(429);
    expect(await entryOf(id, 'rate.limited')).toMatchObject({
      actor: { id: 'anonymous', requestId: id },
      target: 'POST /api/v1/auth/token',
      details: { limit: 1, windowSeconds: 60 },
    });
  });

  test('a spray of failed token requests from one address writes one entry, then one summary with the count when the window closes', async () => {
    const before = (await vault.store.audit.list(0, 10_000)).length;
    for (let i = 0; i < 30; i += 1)
      await request(app)
        .post('/api/v1/auth/token')
        .send({ clientId: 'sec-spray', clientSecret: 'guess' })
        .expect(i < 3 ? 401 : 429);
    const written = (await vault.store.audit.list(0, 10_000)).slice(before);
    // The first refusal and the lockout; 29 refusals counted.
    expect(written.map((entry) => entry.action)).toEqual(['auth.token.refused', 'auth.lockout']);
    vault.clock.set(new Date(vault.clock.now().getTime() + 60_000).toISOString());
    await expect(kit.securityEvents.flush()).resolves.toBeGreaterThanOrEqual(1);
    const summaries = (await vault.store.audit.list(0, 10_000)).slice(before).filter((entry) => entry.target === 'sec-spray' && entry.details.repeated !== undefined);
    expect(summaries).toEqual([expect.objectContaining({ action: 'auth.token.refused', details: expect.objectContaining({ repeated: 29, clientId: 'sec-spray' }) })]);
  });
});
