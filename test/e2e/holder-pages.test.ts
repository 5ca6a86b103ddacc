import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { launchChromium, watchProblems } from '../support/chromium.js';
import { freePort, startVault, waitForLine } from '../support/vault-process.js';

/** Screenshots are test artifacts (git-ignored), one per step, at the phone's width. */
const ARTIFACTS = join(__dirname, '../../test-results/holder-pages');
const HOST = '127.0.0.1';
const CITIZEN = '11010519491231002X';
const PHONE = { width: 360, height: 740 };

interface DemoCredentials {
  readonly accounts: readonly { readonly role: string; readonly clientId: string; readonly clientSecret: string }[];
  readonly holders: readonly { readonly type: string; readonly number: string; readonly name: string; readonly password: string }[];
}

/** A download the browser hands to its download manager ends the page's request; that is not a failure. */
const isDownload = (request: Request): boolean => new URL(request.url()).pathname.endsWith('/pdf');

/** Saves the step's screenshot and answers how many pixels the page is wider than the phone (0: no sideways scrolling). */
async function step(page: Page, name: string): Promise<number> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

describe('the holder pages of the built vault, in a real Chromium at a phone’s width', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let browser: Browser;
  let base: string;
  let credentials: DemoCredentials;

  const tokenFor = async (role: string): Promise<string> => {
    const account = credentials.accounts.find((a) => a.role === role);
    const res = await fetch(`${base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: account?.clientId, clientSecret: account?.clientSecret }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-holder-pages-'));
    const port = await freePort(HOST);
    base = `http://${HOST}:${port}`;
    child = startVault(
      { PORT: String(port), HOST, VAULT_PUBLIC_URL: base, VAULT_DEMO_SETUP: 'auto', VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') },
      { built: true },
    );
    child.stderr.resume();
    await waitForLine(child, (line) => line.msg === 'license vault listening');
    child.stdout.resume();
    credentials = JSON.parse(readFileSync(join(dir, 'data', 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('a citizen signs in through the dev IdP, sees her license, authorizes an office whose clerk redeems the code, reads the use, shares the license and opens the link', async () => {
    // The demo issuer issues her a teacher's qualification over the API.
    const issuer = { authorization: `Bearer ${await tokenFor('issuer')}`, 'content-type': 'application/json' };
    const catalogue = (await (await fetch(`${base}/api/v1/license-types`)).json()) as { items: { code: string; example: { fields: unknown } }[] };
    const teacher = catalogue.items.find((item) => item.code === '11100000000013338W001');
    const issued = await fetch(`${base}/api/v1/licenses`, {
      method: 'POST',
      headers: issuer,
      body: JSON.stringify({ licenseType: teacher?.code, holder: { type: 'citizen', id: CITIZEN, name: '李秀英' }, fields: teacher?.example.fields }),
    });
    expect(issued.status).toBe(201);
    const license = (await issued.json()) as { identifier: string; licenseNumber: string };

    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watchProblems(page, isDownload);
    const overflow: Record<string, number> = {};

    // Signed out: what this is, one way in.
    await page.goto(`${base}/me`);
    overflow.welcome = await step(page, '01-welcome');
    await page.getByRole('link', { name: '通过统一身份认证登录' }).click();

    // The province's identity platform (the development provider in the vault).
    const citizen = credentials.holders.find((holder) => holder.number === CITIZEN);
    await page.getByLabel('证件号码').fill(CITIZEN);
    await page.getByLabel('密码').fill(citizen?.password ?? '');
    overflow.idp = await step(page, '02-dev-idp');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/me`);

    // 我的证照: her license, her name and masked number, never the number.
    await expect(page.getByRole('link', { name: '我的证照' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(page.locator('header').textContent()).resolves.toContain('110105********002X');
    expect(await page.content()).not.toContain(CITIZEN);
    const card = page.getByRole('listitem').filter({ hasText: license.licenseNumber });
    await expect(card.textContent()).resolves.toContain('有效');
    overflow.licenses = await step(page, '03-licenses');
    await card.getByRole('link', { name: '教师资格证书' }).click();

    // One license: its face drawn, the original to download.
    const face = page.getByRole('img', { name: /教师资格证书照面/ });
    await face.waitFor();
    // Drawn from the signed PDF on first request: wait for it to arrive.
    const drawnWidth = await face.evaluate<number, { complete: boolean; naturalWidth: number; decode(): Promise<void> }>(async (img) => {
      if (!img.complete || img.naturalWidth === 0) await img.decode();
      return img.naturalWidth;
    });
    expect(drawnWidth).toBeGreaterThan(0);
    overflow.license = await step(page, '04-license');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载原件' }).click()]);
    expect(
      Buffer.from(readFileSync((await download.path()) ?? ''))
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    // 授权用证, the license preselected.
    await page.getByRole('button', { name: '授权用证' }).click();
    await expect(page.getByRole('checkbox', { name: new RegExp(license.licenseNumber) }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('有效时长').inputValue()).resolves.toBe('30');
    await page.getByLabel('办理事项').fill('新生入学登记');
    await page.getByLabel('用证事由').fill('核验监护人身份');
    await page.getByLabel('有效时长').selectOption({ label: '1 小时' });
    overflow.authorize = await step(page, '05-authorize');
    await page.getByRole('button', { name: '生成用证码' }).click();

    // The code, large, grouped for reading, with a QR code big enough to scan from the screen.
    const shown = (await page.getByLabel('用证码', { exact: true }).textContent()) ?? '';
    expect(shown).toMatch(/^[0-9A-Z]{4} [0-9A-Z]{4}$/);
    const qr = await page.getByRole('img', { name: /用证码二维码/ }).boundingBox();
    expect(qr?.width).toBeGreaterThanOrEqual(240);
    overflow.code = await step(page, '06-code');
    // A reload shows the same code and makes no second authorization.
    await page.reload();
    await expect(page.getByLabel('用证码', { exact: true }).textContent()).resolves.toBe(shown);

    // The clerk at the window redeems it over the API.
    const clerk = { authorization: `Bearer ${await tokenFor('clerk')}`, 'content-type': 'application/json' };
    const redeemed = await fetch(`${base}/api/v1/authorizations/redeem`, { method: 'POST', headers: clerk, body: JSON.stringify({ code: shown.replace(' ', '') }) });
    expect(redeemed.status).toBe(200);
    const redemption = (await redeemed.json()) as { licenses: { identifier: string }[] };
    expect(redemption.licenses.map((l) => l.identifier)).toEqual([license.identifier]);

    // 用证记录: the redemption, with the matter and the reason.
    await page.getByRole('link', { name: '用证记录' }).click();
    const redemptionEntry = page.getByRole('listitem').filter({ hasText: '用证码核验' });
    await expect(redemptionEntry.textContent()).resolves.toContain('新生入学登记');
    await expect(redemptionEntry.textContent()).resolves.toContain('核验监护人身份');
    // Her sign-in is named, not a bare 其他.
    await expect(page.getByRole('listitem').filter({ hasText: '登录' }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('其他', { exact: false }).count()).resolves.toBe(0);
    overflow.usage = await step(page, '07-usage');

    // 授权记录: one live authorization (used once, one of one: now ended) and none to withdraw twice.
    await page.getByRole('link', { name: '授权记录' }).click();
    overflow.authorizations = await step(page, '08-authorizations');

    // 分享: from the license page, to a bank, one time.
    await page.getByRole('link', { name: '我的证照' }).click();
    await page.getByRole('listitem').filter({ hasText: license.licenseNumber }).getByRole('link', { name: '教师资格证书' }).click();
    await page.getByRole('button', { name: '分享' }).click();
    await page.getByLabel('分享对象').fill('中国工商银行福州分行');
    await page.getByLabel('用证事由').fill('办理个人贷款');
    overflow.share = await step(page, '09-share');
    await page.getByRole('button', { name: '分享' }).click();
    const link = await page.getByRole('textbox', { name: /请将此链接发给/ }).inputValue();
    expect(link.startsWith(`${base}/s/`)).toBe(true);
    overflow.shareLink = await step(page, '10-share-link');

    // The bank opens it in a browser of its own: the license's verdict.
    const bank = await browser.newContext({ viewport: PHONE });
    const opened = await bank.newPage();
    const bankProblems = watchProblems(opened, isDownload);
    await opened.goto(link);
    await expect(opened.locator('body').textContent()).resolves.toContain(license.licenseNumber);
    await opened.screenshot({ path: join(ARTIFACTS, '11-share-opened.png'), fullPage: true });
    await bank.close();

    // Its opening shows in her usage record.
    await page.getByRole('link', { name: '用证记录' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: '分享打开' }).count()).resolves.toBeGreaterThan(0);

    // 撤销: the share link, then sign out.
    await page.getByRole('link', { name: '分享记录' }).click();
    await page.getByRole('button', { name: '撤销分享' }).first().click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已撤销分享');
    await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: '退出' }).click()]);
    await page.goto(`${base}/me`);
    await expect(page.getByRole('link', { name: '通过统一身份认证登录' }).count()).resolves.toBe(1);

    expect(overflow).toEqual(Object.fromEntries(Object.keys(overflow).map((name) => [name, 0])));
    expect(problems).toEqual([]);
    expect(bankProblems).toEqual([]);
    await context.close();
  }, 120_000);
});
