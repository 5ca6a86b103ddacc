import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../../src/http/app.js';
import { holderSessionGate } from '../../../src/http/middleware/holder-session.js';
import type { AuthorizationItem, HolderPageBackends, NewAuthorizationInput, ShareItem } from '../../../src/http/pages/holder/index.js';
import { holderPageRoutes } from '../../../src/http/routes/holder-pages.js';
import { LicenseError, NotFoundError } from '../../../src/shared/errors.js';
import { holderSession, holderSessionsOf } from '../../support/holder-session.js';
import { AUTHORIZATIONS, DETAIL, LICENSES, SHARES, USAGE } from '../../support/holder-page-fixtures.js';
import { capturedLogger } from '../../support/log-capture.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

/**
 * The holder pages over back ends that keep what they are told in memory, the
 * way the use cases answer: the pages' own behaviour (sessions, Origin,
 * POST-redirect-GET, the code shown once, refusals as pages) under test.
 */
function memoryBackends(): HolderPageBackends & { made: NewAuthorizationInput[]; authorizationItems: AuthorizationItem[] } {
  const authorizations: AuthorizationItem[] = [...AUTHORIZATIONS];
  const shares: ShareItem[] = [...SHARES];
  const made: NewAuthorizationInput[] = [];
  return {
    made,
    authorizationItems: authorizations,
    licenses: {
      list: async () => LICENSES,
      read: async (_principal, identifier) => {
        if (identifier !== DETAIL.identifier) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
        return DETAIL;
      },
    },
    authorizations: {
      offices: async () => [{ creditCode: '11350102MB0000000A', name: '福州市鼓楼区教育局' }],
      list: async () => authorizations,
      create: async (_principal, input) => {
        if (input.purpose.length < 4) throw new LicenseError('ERR_PURPOSE_REQUIRED');
        made.push(input);
        const id = `n${made.length}`;
        authorizations.unshift({ ...(AUTHORIZATIONS[0] as AuthorizationItem), id, serviceItem: input.serviceItem, purpose: input.purpose });
        return { id, code: 'ABCD-EF23' };
      },
      withdraw: async (_principal, id) => {
        const index = authorizations.findIndex((item) => item.id === id);
        if (index < 0) throw new NotFoundError('ERR_LICENSE_NOT_FOUND');
        authorizations[index] = { ...(authorizations[index] as AuthorizationItem), state: 'withdrawn' };
      },
      qrSvg: async (code) => `<svg xmlns="http://www.w3.org/2000/svg" data-code="${code}"></svg>`,
    },
    usage: {
      read: async (_principal, cursor) => ({
        items: cursor ? USAGE.slice(3) : USAGE.slice(0, 3),
        nextCursor: cursor ? null : 'p2',
        verifications: cursor ? null : [{ license: '教师资格证书 20263501122000123', count: 12 }],
      }),
    },
    shares: {
      list: async () => shares,
      create: async (_principal, input) => {
        const id = `s${shares.length + 1}`;
        shares.unshift({ ...(SHARES[0] as ShareItem), id, recipient: input.recipient, purpose: input.purpose, oneTime: input.oneTime });
        return { id, url: `${PUBLIC_URL}/s/secret-${id}` };
      },
      revoke: async () => {},
      qrSvg: async () => null,
    },
  };
}

function app(vault: VaultHarness, backends: HolderPageBackends): Express {
  return createApp({
    logger: capturedLogger().logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: 1024,
    health: { pingStore: () => vault.store.ping(), storeKind: 'sqlite' },
    routers: [holderSessionGate({ sessions: holderSessionsOf(vault) }), holderPageRoutes({ publicUrl: PUBLIC_URL, backends, clock: vault.clock, createsPerMinute: 1000 })],
  });
}

/** The cookies a response sets, as a request's Cookie header adds them. */
function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? []).map((cookie) => cookie.split(';')[0] as string);
}

describe('the holder pages at /me', () => {
  let vault: VaultHarness;
  let cookie: string;

  beforeAll(async () => {
    vault = await openVaultHarness();
    cookie = (await holderSession(vault, '11010519491231002X', { name: '李秀英' })).cookie;
  });
  afterAll(() => vault.close());

  test('signed out, /me says what this is and links to the sign-in; the other pages send the browser there', async () => {
    const pages = app(vault, memoryBackends());
    const welcome = await request(pages).get('/me').expect(200);
    expect(welcome.type).toBe('text/html');
    expect(welcome.text).toContain('我的电子证照');
    expect(welcome.text).toContain('href="/me/sign-in"');
    expect(welcome.text).not.toContain('退出');
    for (const path of ['/me/usage', '/me/authorize', '/me/authorizations', '/me/shares', `/me/licenses/${DETAIL.identifier}`])
      expect((await request(pages).get(path).expect(303)).headers.location).toBe('/me');
  });

  test('signed in, /me lists the licenses with the holder masked in the header, status in words, nothing cached', async () => {
    const response = await request(app(vault, memoryBackends())).get('/me').set('Cookie', cookie).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    // Under helmet's no-referrer a browser's form post says Origin: null, which the Origin check refuses.
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.text).toContain('110105********002X');
    expect(response.text).not.toContain('11010519491231002X');
    expect(response.text).toContain('<form method="post" action="/me/sign-out"><button type="submit">退出</button></form>');
    expect(response.text).toMatch(/<a href="\/me" aria-current="page">我的证照<\/a>/);
    expect(response.text).toContain('<a href="/me/usage">用证记录</a>');
    for (const status of ['有效', '已暂停', '已过期']) expect(response.text).toContain(`${status} <span lang="en">`);
  });

  test('a license page shows its face with an alt text and the three actions; another holder’s license is the not-found page', async () => {
    const pages = app(vault, memoryBackends());
    const page = await request(pages)
      .get(`/me/licenses/${encodeURIComponent(DETAIL.identifier)}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(page.text).toMatch(/<img class="face" src="[^"]+" alt="教师资格证书照面，证照编号 20263501122000123"/);
    for (const button of ['授权用证', '分享', '下载原件']) expect(page.text).toContain(`type="submit">${button}</button>`);
    expect(page.text).toContain(`<input type="hidden" name="license" value="${DETAIL.identifier}">`);
    const missing = await request(pages).get('/me/licenses/1.2.156.nothing').set('Cookie', cookie).expect(404);
    expect(missing.text).toContain('ERR_LICENSE_NOT_FOUND');
    expect(missing.text).toContain('没有找到');
  });

  test('the authorization form preselects the license, offers any office, labels its fields and defaults to 30 minutes', async () => {
    const form = await request(app(vault, memoryBackends()))
      .get(`/me/authorize?license=${encodeURIComponent(DETAIL.identifier)}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(form.text).toContain(`value="${DETAIL.identifier}" checked>`);
    for (const [id, label] of [
      ['office', '办事机构'],
      ['serviceItem', '办理事项'],
      ['purpose', '用证事由'],
      ['lifetimeMinutes', '有效时长'],
    ])
      expect(form.text).toContain(`<label for="${id}">${label}</label>`);
    expect(form.text).toContain('<option value="" selected>任何办事机构 Any office</option>');
    expect(form.text).toContain('<option value="30" selected>30 分钟</option>');
    // Only licenses in force can be authorized.
    expect(form.text).not.toContain(LICENSES[1]?.identifier);
    expect(form.text).toContain('type="submit">生成用证码</button>');
  });

  test('生成用证码 needs the vault’s own Origin, then redirects (303) to a page that shows the code, grouped, with its QR code, also on reload', async () => {
    const backends = memoryBackends();
    const pages = app(vault, backends);
    const form = { licenses: DETAIL.identifier, office: '11350102MB0000000A', serviceItem: '新生入学登记', purpose: '核验监护人身份', lifetimeMinutes: '60', uses: '10' };
    const foreign = await request(pages).post('/me/authorizations').set('Cookie', cookie).set('Origin', 'https://evil.example').type('form').send(form).expect(403);
    expect(foreign.body).toMatchObject({ code: 'ERR_ORIGIN_REFUSED' });
    await request(pages).post('/me/authorizations').set('Cookie', cookie).type('form').send(form).expect(403);
    expect(backends.made).toEqual([]);
    const made = await request(pages).post('/me/authorizations').set('Cookie', cookie).set('Origin', PUBLIC_URL).type('form').send(form).expect(303);
    expect(made.headers.location).toBe('/me/authorizations/n1?done=authorized');
    expect(backends.made).toEqual([
      { licenses: [DETAIL.identifier], office: '11350102MB0000000A', serviceItem: '新生入学登记', purpose: '核验监护人身份', lifetimeMinutes: 60, uses: 10 },
    ]);
    const once = setCookies(made);
    expect(made.headers['set-cookie']?.[0]).toMatch(/HttpOnly/);
    expect(made.headers['set-cookie']?.[0]).toMatch(/SameSite=Strict/);
    for (let view = 0; view < 2; view++) {
      const page = await request(pages)
        .get(made.headers.location as string)
        .set('Cookie', [cookie, ...once].join('; '))
        .expect(200);
      expect(page.text).toContain('<output class="code" aria-label="用证码">ABCD EF23</output>');
      expect(page.text).toContain('data-code="ABCD-EF23"');
      expect(page.text).toContain('已生成用证码');
    }
    // Another browser of the same holder, without the code, sees the list.
    expect((await request(pages).get('/me/authorizations/n1').set('Cookie', cookie).expect(303)).headers.location).toBe('/me/authorizations');
  });

  test('refused input shows the form again with the reason in Chinese and the code, what was typed kept, nothing made', async () => {
    const backends = memoryBackends();
    const page = await request(app(vault, backends))
      .post('/me/authorizations')
      .set('Cookie', cookie)
      .set('Origin', PUBLIC_URL)
      .type('form')
      .send({ licenses: DETAIL.identifier, office: '', serviceItem: '<b>入学</b>', purpose: '查', lifetimeMinutes: '30', uses: '1' })
      .expect(400);
    expect(page.text).toContain('请填写用证事由');
    expect(page.text).toContain('<code>ERR_PURPOSE_REQUIRED</code>');
    expect(page.text).toContain('value="&#60;b&#62;入学&#60;/b&#62;"');
    expect(backends.made).toEqual([]);
  });

  test('撤销授权 redirects to the list, which confirms it and greys the ended one; an unknown id is the not-found page', async () => {
    const pages = app(vault, memoryBackends());
    const done = await request(pages).post('/me/authorizations/a1/withdraw').set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(303);
    expect(done.headers.location).toBe('/me/authorizations?done=withdrawn');
    const list = await request(pages)
      .get(done.headers.location as string)
      .set('Cookie', cookie)
      .expect(200);
    expect(list.text).toContain('<p class="notice" role="status">已撤销授权');
    expect(list.text.match(/type="submit"[^>]*>撤销授权<\/button>/g)).toHaveLength(1);
    expect(list.text).toContain('近期已结束');
    const unknown = await request(pages).post('/me/authorizations/nope/withdraw').set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(404);
    expect(unknown.text).toContain('ERR_LICENSE_NOT_FOUND');
  });

  test('a form post without a session changes nothing and goes to /me', async () => {
    const backends = memoryBackends();
    const response = await request(app(vault, backends)).post('/me/authorizations/a1/withdraw').set('Origin', PUBLIC_URL).expect(303);
    expect(response.headers.location).toBe('/me');
    expect(backends.authorizationItems[0]?.state).toBe('live');
  });

  test('用证记录 shows Beijing time, what happened in Chinese, the verification counts on the first page and 下一页', async () => {
    const pages = app(vault, memoryBackends());
    const first = await request(pages).get('/me/usage').set('Cookie', cookie).expect(200);
    expect(first.text).toContain('<time datetime="2026-12-04T08:05:12.000Z">2026-12-04 16:05</time>');
    expect(first.text).toContain('用证码核验');
    expect(first.text).toContain('gul***k1');
    expect(first.text).toContain('匿名核验次数');
    expect(first.text).toContain('<a class="button secondary" href="/me/usage?cursor=p2" rel="next">下一页</a>');
    const second = await request(pages).get('/me/usage?cursor=p2').set('Cookie', cookie).expect(200);
    expect(second.text).toContain('分享打开');
    expect(second.text).not.toContain('匿名核验次数');
    expect(second.text).not.toContain('下一页');
  });

  test('分享 makes a link shown once with a copy button the script reveals; 撤销分享 confirms', async () => {
    const pages = app(vault, memoryBackends());
    const made = await request(pages)
      .post('/me/shares')
      .set('Cookie', cookie)
      .set('Origin', PUBLIC_URL)
      .type('form')
      .send({ licenses: DETAIL.identifier, recipient: '中国工商银行', purpose: '办理个人贷款', lifetimeMinutes: '1440', oneTime: '1' })
      .expect(303);
    const page = await request(pages)
      .get(made.headers.location as string)
      .set('Cookie', [cookie, ...setCookies(made)].join('; '))
      .expect(200);
    expect(page.text).toContain(`value="${PUBLIC_URL}/s/secret-s3"`);
    expect(page.text).toContain('data-copy="share-link" hidden>复制链接</button>');
    const revoked = await request(pages).post('/me/shares/s1/revoke').set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(303);
    expect(revoked.headers.location).toBe('/me/shares?done=revoked');
  });

  test('a part whose back end the vault does not run says so (503), the rest works', async () => {
    const pages = app(vault, { licenses: memoryBackends().licenses });
    await request(pages).get('/me').set('Cookie', cookie).expect(200);
    expect((await request(pages).get('/me/usage').set('Cookie', cookie).expect(503)).text).toContain('暂未开放');
  });

  test('the stylesheet and script are cached for a year under a hashed URL', async () => {
    const pages = app(vault, memoryBackends());
    const page = await request(pages).get('/me').expect(200);
    const css = /href="(\/me\/holder\.css\?v=[0-9a-f]{12})"/.exec(page.text)?.[1];
    const js = /src="(\/me\/holder\.js\?v=[0-9a-f]{12})"/.exec(page.text)?.[1];
    expect(
      (
        await request(pages)
          .get(css ?? '')
          .expect(200)
      ).headers['cache-control'],
    ).toBe('public, max-age=31536000, immutable');
    expect(
      (
        await request(pages)
          .get(js ?? '')
          .expect(200)
      ).headers['content-type'],
    ).toMatch(/javascript/);
    // helmet's policy allows no inline script: the pages have none.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });
});
