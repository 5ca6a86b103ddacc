import type { Express } from 'express';
import request from 'supertest';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { holderSession } from '../../support/holder-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const CITIZEN = '11010519491231002X';
const OTHER_CITIZEN = '440524188001010014';
const ISSUER = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;

/** The cookies a response sets, as a request's Cookie header adds them. */
function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? []).map((cookie) => cookie.split(';')[0] as string);
}

/** The holder pages as main.ts wires them, over the real use cases and a real store. */
describe('the holder pages over the vault’s use cases', () => {
  let vault: VaultHarness;
  let app: Express;
  let mine: LicenseRecord;
  let theirs: LicenseRecord;
  let cookie: string;
  const post = (path: string, form: Record<string, string> = {}) => request(app).post(path).set('Cookie', cookie).set('Origin', PUBLIC_URL).type('form').send(form);

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const issue = async (id: string, name: string) =>
      (await vault.issuance.issue(ISSUER, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id, name }, fields: teacher.example.fields })).license;
    mine = await issue(CITIZEN, '李秀英');
    theirs = await issue(OTHER_CITIZEN, '王五');
    cookie = (await holderSession(vault, CITIZEN, { name: '李秀英' })).cookie;
  });
  afterAll(() => vault.close());

  test('我的证照 lists her license, never another’s; its page shows the fields, the face and the original; another’s is the not-found page', async () => {
    const list = await request(app).get('/me').set('Cookie', cookie).expect(200);
    expect(list.text).toContain(mine.licenseNumber);
    expect(list.text).not.toContain(theirs.licenseNumber);
    expect(list.text).toContain('有效 <span lang="en">In force</span>');
    const page = await request(app)
      .get(`/me/licenses/${encodeURIComponent(mine.identifier)}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(page.text).toContain('<dt>资格种类</dt><dd>高级中学教师资格</dd>');
    const face = /<img class="face" src="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const original = /<form method="get" action="([^"]+)"><button class="secondary" type="submit">下载原件/.exec(page.text)?.[1] ?? '';
    expect((await request(app).get(face.replace(/&#38;/g, '&')).set('Cookie', cookie).expect(200)).headers['content-type']).toBe('image/png');
    const pdf = await request(app).get(original).set('Cookie', cookie).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const missing = await request(app)
      .get(`/me/licenses/${encodeURIComponent(theirs.identifier)}`)
      .set('Cookie', cookie)
      .expect(404);
    expect(missing.text).toContain('ERR_LICENSE_NOT_FOUND');
    expect(missing.text).not.toContain(theirs.licenseNumber);
  });

  test('生成用证码 shows the code and its QR; a clerk of the office redeems it; 撤销授权 then ends the next', async () => {
    const form = await request(app)
      .get(`/me/authorize?license=${encodeURIComponent(mine.identifier)}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(form.text).toContain(`<option value="${TEST_DEPARTMENT.creditCode}">`);
    const terms = { licenses: mine.identifier, office: TEST_DEPARTMENT.creditCode, serviceItem: '新生入学登记', purpose: '核验监护人身份', lifetimeMinutes: '60', uses: '1' };
    const made = await post('/me/authorizations', terms).expect(303);
    const page = await request(app)
      .get(made.headers.location as string)
      .set('Cookie', [cookie, ...setCookies(made)].join('; '))
      .expect(200);
    const code = /<output class="code" aria-label="用证码">([0-9A-Z]{4} [0-9A-Z]{4})<\/output>/.exec(page.text)?.[1] ?? '';
    expect(code).not.toBe('');
    expect(page.text).toMatch(/<div class="qr" role="img" aria-label="用证码二维码 QR code"><svg [^>]*width="288"/);
    expect(page.text).toContain('新生入学登记');

    const clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
    const redeemed = await request(app)
      .post('/api/v1/authorizations/redeem')
      .set('Authorization', bearer(clerk))
      .send({ code: code.replace(' ', '') })
      .expect(200);
    expect((redeemed.body as { licenses: { identifier: string }[] }).licenses.map((l) => l.identifier)).toEqual([mine.identifier]);
    // Used once of once: no longer live, so no 撤销授权 for it.
    const list = await request(app).get('/me/authorizations').set('Cookie', cookie).expect(200);
    expect(list.text).toContain('次数已用完');

    const second = await post('/me/authorizations', { ...terms, office: '', uses: '10' }).expect(303);
    const id = /\/me\/authorizations\/([\w-]+)\?/.exec(second.headers.location as string)?.[1] ?? '';
    expect((await post(`/me/authorizations/${id}/withdraw`).expect(303)).headers.location).toBe('/me/authorizations?done=withdrawn');
    const after = await request(app).get('/me/authorizations?done=withdrawn').set('Cookie', cookie).expect(200);
    expect(after.text).toContain('已撤销授权');
    expect(after.text).toContain('已撤销 <span lang="en">Withdrawn</span>');

    // 用证记录: the clerk's redemption with the office, the matter and the reason; the holder's own reads are not uses.
    const usage = await request(app).get('/me/usage').set('Cookie', cookie).expect(200);
    const redemption = /<li class="card">(?:(?!<\/li>)[\s\S])*用证码核验(?:(?!<\/li>)[\s\S])*<\/li>/.exec(usage.text)?.[0] ?? '';
    expect(redemption).toContain('新生入学登记');
    expect(redemption).toContain('核验监护人身份');
    expect(redemption).toContain(TEST_DEPARTMENT.name);
    expect(usage.text).toContain('匿名核验次数');
    expect(usage.text).not.toContain(CITIZEN);
  });

  test('an authorization with a meaningless purpose, or another holder’s license, shows the form again with the reason, nothing made', async () => {
    const purpose = await post('/me/authorizations', { licenses: mine.identifier, office: '', serviceItem: '新生入学登记', purpose: '1', lifetimeMinutes: '30', uses: '1' }).expect(
      400,
    );
    expect(purpose.text).toContain('<code>ERR_PURPOSE_REQUIRED</code>');
    const foreign = await post('/me/authorizations', {
      licenses: theirs.identifier,
      office: '',
      serviceItem: '新生入学登记',
      purpose: '核验监护人身份',
      lifetimeMinutes: '30',
      uses: '1',
    }).expect(400);
    expect(foreign.text).toContain('<code>ERR_LICENSE_NOT_FOUND</code>');
  });

  test('分享 makes a link that opens the shared page; the list names it; 撤销分享 ends it and the link no longer opens', async () => {
    const made = await post('/me/shares', { licenses: mine.identifier, recipient: '中国工商银行', purpose: '办理个人贷款', lifetimeMinutes: '1440' }).expect(303);
    const location = made.headers.location as string;
    expect(location).toMatch(/^\/me\/shares\/[\w-]+\?done=shared$/);
    const page = await request(app)
      .get(location)
      .set('Cookie', [cookie, ...setCookies(made)].join('; '))
      .expect(200);
    const link = /id="share-link" type="text" readonly value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(link.startsWith(`${PUBLIC_URL}/s/`)).toBe(true);
    expect(page.text).toContain('已生成分享链接');
    const path = new URL(link).pathname;
    const opened = await request(app).get(path).expect(200);
    expect(opened.text).toContain(mine.licenseNumber);

    const list = await request(app).get('/me/shares').set('Cookie', cookie).expect(200);
    expect(list.text).toContain('中国工商银行');
    expect(list.text).toContain('教师资格证书');
    const id = /\/me\/shares\/([\w-]+)\?/.exec(location)?.[1] ?? '';
    expect((await post(`/me/shares/${id}/revoke`).expect(303)).headers.location).toBe('/me/shares?done=revoked');
    await request(app).get(path).expect(410);
    expect((await request(app).get('/me/shares').set('Cookie', cookie).expect(200)).text).toContain('已撤销 <span lang="en">Revoked</span>');
  });

  test('sharing another holder’s license, or a recipient with markup, shows the form again with the reason, nothing made', async () => {
    const before = (await request(app).get('/me/shares').set('Cookie', cookie)).text.match(/<li class="card/g)?.length ?? 0;
    const foreign = await post('/me/shares', { licenses: theirs.identifier, recipient: '某某银行', purpose: '办理个人贷款', lifetimeMinutes: '1440' }).expect(400);
    expect(foreign.text).toContain('<code>ERR_LICENSE_NOT_FOUND</code>');
    const markup = await post('/me/shares', { licenses: mine.identifier, recipient: '<script>', purpose: '办理个人贷款', lifetimeMinutes: '1440' }).expect(400);
    expect(markup.text).toContain('<code>ERR_SHARE_RECIPIENT_INVALID</code>');
    expect(markup.text).toContain('value="&#60;script&#62;"');
    expect((await request(app).get('/me/shares').set('Cookie', cookie)).text.match(/<li class="card/g)?.length ?? 0).toBe(before);
  });

  test('another holder’s share cannot be revoked from these pages: the not-found page', async () => {
    const other = await holderSession(vault, OTHER_CITIZEN);
    const made = await request(app)
      .post('/me/shares')
      .set('Cookie', other.cookie)
      .set('Origin', PUBLIC_URL)
      .type('form')
      .send({ licenses: theirs.identifier, recipient: '某某公司', purpose: '入职背景调查', lifetimeMinutes: '60' })
      .expect(303);
    const id = /\/me\/shares\/([\w-]+)\?/.exec(made.headers.location as string)?.[1] ?? '';
    const refused = await post(`/me/shares/${id}/revoke`).expect(404);
    expect(refused.text).toContain('ERR_SHARE_NOT_FOUND');
  });
});
