import type { Express } from 'express';
import request from 'supertest';
import { qrcodeEncoder } from '../../../src/adapters/qr/qrcode-encoder.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { addOtherOffice, CITIZEN, issueTo, OTHER_CITIZEN, OTHER_OFFICE, TEACHER_TYPE } from '../../support/authorizations.js';
import { holderSession } from '../../support/holder-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const TERMS = { office: TEST_DEPARTMENT.creditCode, serviceItem: '义务教育入学登记', purpose: '办理入学登记' };

/** The modules an SVG from qr-svg.ts draws, read back from its path (`M{x} {y}h1v1h-1z` per dark module, 4 modules of quiet zone). */
function modulesOf(svg: string): { size: number; dark: Set<string> } {
  const side = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const dark = new Set([...svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${Number(m[1]) - 4},${Number(m[2]) - 4}`));
  return { size: side - 8, dark };
}

describe('/api/v1/me/authorizations and /api/v1/me/offices (授权用证)', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseRecord;
  let strangers: LicenseRecord;
  let cookie: string;
  let otherCookie: string;
  const post = (path: string, body: object, as = cookie) => request(app).post(path).set('Cookie', as).set('Origin', PUBLIC_URL).send(body);
  const auditCount = async () => (await vault.store.audit.last())?.seq ?? 0;

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
    teacher = await issueTo(vault, 'teacher-qualification');
    strangers = await issueTo(vault, 'teacher-qualification', OTHER_CITIZEN);
    await addOtherOffice(vault);
    cookie = (await holderSession(vault, CITIZEN, { name: '李秀英' })).cookie;
    otherCookie = (await holderSession(vault, OTHER_CITIZEN)).cookie;
  });
  afterAll(() => vault.close());

  test('making one answers 201 with the code once, its expiry and a scannable QR code whose content is the 8 symbols; a clerk of the office redeems it', async () => {
    const res = await post('/api/v1/me/authorizations', { licenses: [teacher.identifier], ...TERMS, uses: 2, lifetimeMinutes: 60 }).expect(201);
    expect(res.headers['location']).toBe(`/api/v1/me/authorizations/${res.body.authorization.id}`);
    expect(res.body.code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(res.body.expiresAt).toBe(res.body.authorization.expiresAt);
    expect(res.body.authorization).toMatchObject({ state: 'live', usesLeft: 2, office: { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name } });
    const svg: string = res.body.qrSvg;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* width="288" height="288"/);
    const drawn = modulesOf(svg);
    const expected = qrcodeEncoder.encode(res.body.code.replace('-', ''));
    expect(drawn.size).toBe(expected.size);
    const dark = new Set<string>();
    expected.modules.forEach((on, i) => on && dark.add(`${i % expected.size},${Math.floor(i / expected.size)}`));
    expect(drawn.dark).toEqual(dark);

    const clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
    const redeemed = await request(app).post('/api/v1/authorizations/redeem').set('Authorization', bearer(clerk)).send({ code: res.body.code }).expect(200);
    expect(redeemed.body.licenses.map((license: { identifier: string }) => license.identifier)).toEqual([teacher.identifier]);
  });

  test('the list shows mine only, without the code, each with its state; withdrawing ends it and the clerk is told so', async () => {
    const made = await post('/api/v1/me/authorizations', { licenseTypes: [TEACHER_TYPE], ...TERMS, office: null }).expect(201);
    await post('/api/v1/me/authorizations', { licenses: [strangers.identifier], ...TERMS }, otherCookie).expect(201);
    const listed = await request(app).get('/api/v1/me/authorizations').set('Cookie', cookie).expect(200);
    expect(listed.body.items.find((item: { id: string }) => item.id === made.body.authorization.id)).toMatchObject({
      state: 'live',
      office: null,
      codeHint: made.body.code.slice(-2),
    });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.code.replace('-', ''));
    expect(JSON.stringify(listed.body)).not.toContain(strangers.identifier);

    const one = await request(app).get(made.headers['location']!).set('Cookie', cookie).expect(200);
    expect(one.body).toEqual(made.body.authorization);
    expect((await request(app).get(made.headers['location']!).set('Cookie', otherCookie).expect(404)).body.code).toBe('ERR_AUTHORIZATION_NOT_FOUND');
    const withdrawn = await post(`/api/v1/me/authorizations/${made.body.authorization.id}/withdraw`, {}).expect(200);
    expect(withdrawn.body).toMatchObject({ id: made.body.authorization.id, state: 'withdrawn' });
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'authorization.withdraw', actor: { role: 'holder' } });
    const clerk = await tokenFor(app, vault.store, 'clerk');
    const refused = await request(app).post('/api/v1/authorizations/redeem').set('Authorization', bearer(clerk)).send({ code: made.body.code }).expect(410);
    expect(refused.body.code).toBe('ERR_AUTHORIZATION_WITHDRAWN');
    const again = await request(app).get('/api/v1/me/authorizations').set('Cookie', cookie).expect(200);
    expect(again.body.items.find((item: { id: string }) => item.id === made.body.authorization.id)).toMatchObject({ state: 'withdrawn' });
  });

  test.each([
    ['another holder’s license', { licenses: ['STRANGERS'], ...TERMS }, 404, 'ERR_LICENSE_NOT_FOUND'],
    ['a license that does not exist', { licenses: ['1.2.156.3005.2.nothing'], ...TERMS }, 404, 'ERR_LICENSE_NOT_FOUND'],
    ['an unknown office', { licenses: ['MINE'], ...TERMS, office: '91110000100000000X' }, 400, 'ERR_AUTHORIZATION_OFFICE_UNKNOWN'],
    ['nothing chosen', { ...TERMS }, 400, 'ERR_AUTHORIZATION_INVALID'],
    ['a lifetime of 4 minutes', { licenses: ['MINE'], ...TERMS, lifetimeMinutes: 4 }, 400, 'ERR_AUTHORIZATION_INVALID'],
    ['a lifetime of 8 days', { licenses: ['MINE'], ...TERMS, lifetimeMinutes: 8 * 24 * 60 }, 400, 'ERR_AUTHORIZATION_INVALID'],
    ['21 uses', { licenses: ['MINE'], ...TERMS, uses: 21 }, 400, 'ERR_AUTHORIZATION_INVALID'],
    ['a type not in the catalogue', { licenseTypes: ['NOPE'], ...TERMS }, 400, 'ERR_AUTHORIZATION_INVALID'],
    ['a purpose that says nothing', { licenses: ['MINE'], ...TERMS, purpose: 'aaaa' }, 400, 'ERR_PURPOSE_REQUIRED'],
    ['no service item', { licenses: ['MINE'], office: null, purpose: '办理入学登记' }, 400, 'ERR_REQUEST_INVALID'],
    ['a service item of one letter', { licenses: ['MINE'], ...TERMS, serviceItem: '办' }, 400, 'ERR_SERVICE_ITEM_REQUIRED'],
    ['an unknown field', { licenses: ['MINE'], ...TERMS, holder: CITIZEN }, 400, 'ERR_REQUEST_INVALID'],
    ['an operator for the office', { licenses: ['MINE'], ...TERMS, office: { $ne: null } }, 400, 'ERR_REQUEST_INVALID'],
    ['uses as text', { licenses: ['MINE'], ...TERMS, uses: '2' }, 400, 'ERR_REQUEST_INVALID'],
  ])('%s is refused with its code, nothing made, nothing audited but a denied reach for another’s license', async (name, body, status, code) => {
    const resolved = JSON.parse(JSON.stringify(body).replace('"STRANGERS"', JSON.stringify(strangers.identifier)).replace('"MINE"', JSON.stringify(teacher.identifier))) as object;
    const before = await auditCount();
    const listed = (await request(app).get('/api/v1/me/authorizations').set('Cookie', cookie)).body;
    const res = await post('/api/v1/me/authorizations', resolved).expect(status);
    expect(res.body.code).toBe(code);
    const added = (await vault.store.audit.list(before, 100)).map((entry) => entry.action);
    expect(added).toEqual(name === 'another holder’s license' ? ['holder.access.denied'] : []);
    expect((await request(app).get('/api/v1/me/authorizations').set('Cookie', cookie)).body).toEqual(listed);
  });

  test('withdrawing another holder’s authorization, or none, is 404 ERR_AUTHORIZATION_NOT_FOUND and changes nothing', async () => {
    const theirs = await post('/api/v1/me/authorizations', { licenses: [strangers.identifier], ...TERMS }, otherCookie).expect(201);
    for (const id of [theirs.body.authorization.id, 'no-such-id']) {
      const res = await post(`/api/v1/me/authorizations/${id}/withdraw`, {}).expect(404);
      expect(res.body.code).toBe('ERR_AUTHORIZATION_NOT_FOUND');
    }
    await expect(vault.store.authorizations.get(theirs.body.authorization.id)).resolves.toMatchObject({ withdrawnAt: null });
  });

  test('the offices to choose from are the departments, by credit code, with their names', async () => {
    const res = await request(app).get('/api/v1/me/offices').set('Cookie', cookie).expect(200);
    expect(res.body.offices).toEqual(
      expect.arrayContaining([
        { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name },
        { creditCode: OTHER_OFFICE.creditCode, name: OTHER_OFFICE.name },
      ]),
    );
  });

  test('without a session 401 ERR_HOLDER_SESSION_MISSING; a change from another origin 403 ERR_ORIGIN_REFUSED; a clerk’s bearer token is no session', async () => {
    for (const path of ['/api/v1/me/authorizations', '/api/v1/me/offices']) expect((await request(app).get(path).expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
    const clerk = await tokenFor(app, vault.store, 'clerk');
    expect((await request(app).get('/api/v1/me/authorizations').set('Authorization', bearer(clerk)).expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
    const before = await auditCount();
    const foreign = await request(app)
      .post('/api/v1/me/authorizations')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .send({ licenses: [teacher.identifier], ...TERMS })
      .expect(403);
    expect(foreign.body.code).toBe('ERR_ORIGIN_REFUSED');
    const entries = await vault.store.audit.list(before, 100);
    expect(entries.filter((entry) => entry.action === 'authorization.create')).toEqual([]);
  });
});
