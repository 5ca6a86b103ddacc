import type { Express } from 'express';
import request from 'supertest';
import { redemptionRoutes } from '../../../src/http/routes/authorization-redemption.js';
import { licenseRoutes } from '../../../src/http/routes/licenses.js';
import { LicenseQueries, type LicenseRecord } from '../../../src/modules/licenses/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, bearer, tokenFor } from '../../support/auth.js';
import { actingHolder, addOtherOffice, CITIZEN, harnessAuthorizations, issueTo, OTHER_OFFICE } from '../../support/authorizations.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { licenseRouteDependencies, openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';
import { annotatedCopies } from '../../../src/composition/copies.js';
import { licenseFonts } from '../../fixtures/fonts.js';

const holder = actingHolder();
const TERMS = { office: TEST_DEPARTMENT.creditCode, serviceItem: '义务教育入学登记', purpose: '办理入学登记' };

describe('POST /api/v1/authorizations/redeem', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseRecord;
  let clerk: string;
  let clerkOfNone: string;
  let clerkElsewhere: string;
  const make = (overrides: object = {}) => harnessAuthorizations(vault).holders.create(holder, { licenses: [teacher.identifier], ...TERMS, ...overrides });
  const redeem = (token: string, body: unknown, address?: string) => {
    const req = request(app).post('/api/v1/authorizations/redeem').set('Authorization', bearer(token));
    if (address) req.set('X-Forwarded-For', address);
    return req.send(body as object);
  };
  const auditCount = async () => (await vault.store.audit.last())?.seq ?? 0;

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
    teacher = await issueTo(vault, 'teacher-qualification');
    await addOtherOffice(vault);
    clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
    clerkOfNone = await tokenFor(app, vault.store, 'clerk');
    clerkElsewhere = await tokenFor(app, vault.store, 'clerk', OTHER_OFFICE.creditCode);
  });
  afterAll(() => vault.close());

  test('a live code typed in lower case with a dash answers the licenses as clerks see them, and the terms', async () => {
    const { authorization, code } = await make({ uses: 2 });
    const res = await redeem(clerk, { code: code.toLowerCase() }).expect(200);
    expect(res.body.authorization).toEqual({
      id: authorization.id,
      serviceItem: TERMS.serviceItem,
      purpose: TERMS.purpose,
      office: TEST_DEPARTMENT.creditCode,
      expiresAt: authorization.expiresAt,
      usesLeft: 1,
    });
    expect(res.body.licenses).toHaveLength(1);
    expect(res.body.licenses[0]).toMatchObject({
      identifier: teacher.identifier,
      holder: { type: 'citizen', id: CITIZEN },
      status: 'active',
      links: { self: `${PUBLIC_URL}/api/v1/licenses/${teacher.identifier}` },
    });
    await expect(vault.store.audit.last()).resolves.toMatchObject({
      action: 'authorization.redeem',
      actor: { role: 'clerk' },
      details: { department: TEST_DEPARTMENT.creditCode },
    });
  });

  test.each([
    ['expired', 410, 'ERR_AUTHORIZATION_EXPIRED'],
    ['withdrawn', 410, 'ERR_AUTHORIZATION_WITHDRAWN'],
    ['used up', 410, 'ERR_AUTHORIZATION_USED_UP'],
    ['for another office', 403, 'ERR_AUTHORIZATION_WRONG_OFFICE'],
    ['for an office, to a clerk of none', 403, 'ERR_AUTHORIZATION_WRONG_OFFICE'],
  ])('a code %s: %i %s as problem+json, naming nothing it covers', async (cause, status, code) => {
    vault.clock.set('2026-11-21T02:00:00Z');
    const made = await make({ office: cause === 'for another office' ? OTHER_OFFICE.creditCode : TEST_DEPARTMENT.creditCode, lifetimeMinutes: 5 });
    if (cause === 'withdrawn') await harnessAuthorizations(vault).holders.withdraw(holder, made.authorization.id);
    if (cause === 'used up') await redeem(clerk, { code: made.code }).expect(200);
    // Five minutes on, within the access tokens' 15.
    if (cause === 'expired') vault.clock.set('2026-11-21T02:05:00Z');
    const res = await redeem(cause.includes('clerk of none') ? clerkOfNone : clerk, { code: made.code }).expect(status);
    vault.clock.set('2026-11-21T02:00:00Z');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code, status });
    for (const secret of [teacher.identifier, CITIZEN, TERMS.purpose, TERMS.serviceItem, teacher.licenseNumber]) expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  test.each([
    ['no body', undefined, 400, 'ERR_REQUEST_INVALID'],
    ['a number', { code: 12345678 }, 400, 'ERR_REQUEST_INVALID'],
    ['an operator', { code: { $ne: null } }, 400, 'ERR_REQUEST_INVALID'],
    ['another field', { code: 'ABCD-2345', office: 'x' }, 400, 'ERR_REQUEST_INVALID'],
    ['a look-alike symbol', { code: 'ABCD-234O' }, 400, 'ERR_AUTHORIZATION_CODE_MALFORMED'],
    ['seven symbols', { code: 'ABC-2345' }, 400, 'ERR_AUTHORIZATION_CODE_MALFORMED'],
  ])('%s is %i %s and changes nothing', async (_name, body, status, code) => {
    const before = await auditCount();
    const res = await redeem(clerk, body).expect(status);
    expect(res.body.code).toBe(code);
    expect(await auditCount()).toBe(before);
  });

  test('only clerks redeem: no token 401, an issuer or an auditor 403', async () => {
    const { authorization, code } = await make();
    await request(app).post('/api/v1/authorizations/redeem').send({ code }).expect(401);
    for (const role of ['issuer', 'auditor'] as const) {
      const res = await redeem(await tokenFor(app, vault.store, role), { code }).expect(403);
      expect(res.body.code).toBe('ERR_FORBIDDEN');
    }
    await expect(vault.store.authorizations.get(authorization.id)).resolves.toMatchObject({ usesMade: 0, redeemedBy: [] });
  });

  test('an unknown code is 404 ERR_AUTHORIZATION_UNKNOWN; the tenth locks the account: 429 ERR_AUTHORIZATION_REDEEM_LOCKED with Retry-After, audited as authorization.redeem.locked', async () => {
    const guesser = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
    const { code } = await make();
    for (let i = 0; i < 10; i++) {
      const res = await redeem(guesser, { code: 'ZZZZ-ZZZZ' }).expect(404);
      expect(res.body.code).toBe('ERR_AUTHORIZATION_UNKNOWN');
    }
    const locked = await redeem(guesser, { code }).expect(429);
    expect(locked.body.code).toBe('ERR_AUTHORIZATION_REDEEM_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const entries = await vault.store.audit.list(0, 100_000);
    expect(entries.filter((entry) => entry.action === 'authorization.redeem.locked')).toHaveLength(1);
    expect(entries.filter((entry) => entry.action === 'authorization.redeem.refused' && entry.details['code'] === 'ERR_AUTHORIZATION_UNKNOWN').length).toBeGreaterThan(0);
    await redeem(clerkElsewhere, { code }).expect(403);
    await redeem(clerk, { code }).expect(200);
  });
});

describe('VAULT_LOOKUP_POLICY=consent over HTTP', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseRecord;
  let clerk: string;
  const purpose = encodeURIComponent('办理入学登记');

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = await issueTo(vault, 'teacher-qualification');
    const services = harnessAuthorizations(vault, 'consent');
    const queries = new LicenseQueries(vault.store, vault.clock, vault.fingerprinter, undefined, services.consent);
    const consentedCopies = annotatedCopies({
      store: vault.store,
      fonts: licenseFonts(),
      signers: vault.issuanceDeps.signers,
      fingerprinter: vault.fingerprinter,
      clock: vault.clock,
      publicUrl: PUBLIC_URL,
      consent: services.consent,
    });
    app = authTestApp(vault.store, {
      clock: vault.clock,
      routers: [
        licenseRoutes({ ...licenseRouteDependencies(vault, { lookupsPerMinute: 1000 }), queries, copies: consentedCopies }),
        redemptionRoutes({ redemption: services.redemption, templates: vault.templates, clock: vault.clock, publicUrl: PUBLIC_URL, lookupsPerMinute: 1000 }),
      ],
    }).app;
    clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
  });
  afterAll(() => vault.close());

  test('a look-up by number is 403 ERR_LOOKUP_NEEDS_CONSENT; after a redemption the clerk reads and takes annotated copies of what it covers, and nothing else', async () => {
    const copy = (token: string) =>
      request(app).post(`/api/v1/licenses/${teacher.identifier}/copies`).set('Authorization', bearer(token)).send({ serviceItem: '新生入学登记', purpose: '办理入学登记' });
    const lookUp = await request(app).get(`/api/v1/holders/${CITIZEN}/licenses?purpose=${purpose}`).set('Authorization', bearer(clerk)).expect(403);
    expect(lookUp.body.code).toBe('ERR_LOOKUP_NEEDS_CONSENT');
    const before = await request(app).get(`/api/v1/licenses/${teacher.identifier}?purpose=${purpose}`).set('Authorization', bearer(clerk)).expect(403);
    expect(before.body.code).toBe('ERR_LOOKUP_NEEDS_CONSENT');
    const missing = await request(app).get(`/api/v1/licenses/1.2.156.3005.2.nothing?purpose=${purpose}`).set('Authorization', bearer(clerk)).expect(403);
    expect(missing.body.code).toBe('ERR_LOOKUP_NEEDS_CONSENT');
    expect((await copy(clerk).expect(403)).body.code).toBe('ERR_LOOKUP_NEEDS_CONSENT');

    const { code } = await harnessAuthorizations(vault, 'consent').holders.create(holder, { licenses: [teacher.identifier], ...TERMS });
    const redeemed = await request(app).post('/api/v1/authorizations/redeem').set('Authorization', bearer(clerk)).send({ code }).expect(200);
    expect(redeemed.body.licenses.map((license: { identifier: string }) => license.identifier)).toEqual([teacher.identifier]);
    await request(app).get(`/api/v1/licenses/${teacher.identifier}?purpose=${purpose}`).set('Authorization', bearer(clerk)).expect(200);
    await copy(clerk).expect(201);
    // The original is the issuing department's and the holder's alone.
    await request(app).get(`/api/v1/licenses/${teacher.identifier}/pdf?purpose=${purpose}`).set('Authorization', bearer(clerk)).expect(403);
    const other = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
    await request(app).get(`/api/v1/licenses/${teacher.identifier}?purpose=${purpose}`).set('Authorization', bearer(other)).expect(403);
    expect((await copy(other).expect(403)).body.code).toBe('ERR_LOOKUP_NEEDS_CONSENT');
    const issuer = await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode);
    await request(app).get(`/api/v1/holders/${CITIZEN}/licenses?purpose=${purpose}`).set('Authorization', bearer(issuer)).expect(200);
  });
});
