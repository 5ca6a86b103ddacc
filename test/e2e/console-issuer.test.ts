import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import {
  keepScreen,
  DESKTOP,
  PHONE,
  recordApiCalls,
  screenshot,
  signInToConsole,
  startConsoleVault,
  undocumentedCalls,
  watchProblems,
  type ConsoleVault,
} from '../support/console-browser.js';

const TEACHER = '教师资格证书';
const GOOD_ID = '11010519491231002X';
/** GB 11643's example with its check character changed: fails the checksum only. */
const BAD_CHECKSUM_ID = '110105194912310021';

/** Waits until no finite animation runs (antd fades errors and dialogs in; spinners turn for ever), so that a screenshot shows the page at rest. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[] } }).document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
  );
}

/** The text of the error shown for a control, once it is marked invalid (antd links the two with aria-describedby). */
async function errorOf(control: Locator): Promise<string> {
  await control.and(control.page().locator('[aria-invalid="true"]')).waitFor();
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(' ').trim();
}

/** A form control by its accessible name: the field's label, exactly as written (the required mark is hidden from it). */
function field(page: Page, name: string): Locator {
  return page.getByRole('textbox', { name, exact: true }).or(page.getByRole('combobox', { name, exact: true }));
}

/** Opens a select by its label and picks the option shown with this text. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await field(page, label).click();
  await page.getByTitle(option, { exact: true }).filter({ visible: true }).last().click();
  await page.getByTitle(option, { exact: true }).filter({ visible: true }).first().waitFor();
}

async function pickDate(page: Page, label: string, date: string): Promise<void> {
  const input = field(page, label);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

describe("the issuer's desk in a real browser: issue from the form, preview, batch-issue a file, revoke", () => {
  let vault: ConsoleVault;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let calls: { method: string; path: string }[];

  beforeAll(async () => {
    vault = await startConsoleVault();
    context = await vault.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    calls = recordApiCalls(page);
    await signInToConsole(page, vault.base, vault.staff('issuer'));
    // Watched from the desk on: the sign-in page's first question (who is signed in?) is answered 401, as it should be.
    problems = watchProblems(page);
  }, 90_000);
  afterAll(async () => {
    await context?.close();
    await vault?.stop();
  });

  let issuedIdentifier: string;

  test('the form says what is wrong next to the field and sends nothing; preview shows the 样张; issuing shows the number and the QR', async () => {
    await page.getByRole('link', { name: '签发证照' }).click();
    await page.getByRole('heading', { name: '签发证照' }).waitFor();
    await choose(page, '证照类型', TEACHER);
    await field(page, '公民身份号码').fill(BAD_CHECKSUM_ID);
    await field(page, '姓名').fill('李秀英');
    await choose(page, '性别', '女');
    await field(page, '民族').fill('汉族');
    await pickDate(page, '出生日期', '1949-12-31');
    await choose(page, '资格种类', '高级中学教师资格');
    const sentBefore = calls.length;
    await page.getByRole('button', { name: '签发', exact: true }).click();
    expect(await errorOf(field(page, '公民身份号码'))).toContain('校验位不符');
    expect(await errorOf(field(page, '任教学科'))).toMatch(/^请填写任教学科。/);
    expect(calls.slice(sentBefore)).toEqual([]);
    await settled(page);
    expect(await screenshot(page, 'console-issue-desktop')).toBe(0);
    keepScreen('console-issue-desktop');

    await field(page, '公民身份号码').fill(GOOD_ID);
    await field(page, '任教学科').fill('数学');
    await field(page, '公民身份号码').and(page.locator('[aria-invalid="true"]')).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '预览', exact: true }).click();
    const face = page.getByRole('img', { name: '证照样张预览' });
    await face.waitFor();
    const drawn = await face.evaluate(async (element) => {
      const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
      await img.decode();
      return img.naturalWidth;
    });
    expect(drawn).toBeGreaterThan(1000);
    await settled(page);
    await screenshot(page, 'console-preview-desktop');
    await page.keyboard.press('Escape');
    await face.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: '签发', exact: true }).click();
    await page.getByText('证照已签发').waitFor();
    const qr = page.getByLabel('核验二维码');
    await qr.waitFor();
    expect((await qr.boundingBox())?.width).toBeGreaterThan(100);
    issuedIdentifier =
      (await page
        .getByText(/^1\.2\.156\.3005\.2\./)
        .first()
        .textContent()) ?? '';
    expect(issuedIdentifier).toMatch(/^1\.2\.156\.3005\.2\.11100000000013338W001\./);
    await page.getByText('有效', { exact: true }).first().waitFor();
    await screenshot(page, 'console-issued-desktop');
  }, 90_000);

  test('a CSV with one bad row: the bar reaches 100 %, one result per row, the bad row says why, the results download', async () => {
    await page.getByRole('link', { name: '批量签发' }).click();
    await choose(page, '证照类型', TEACHER);
    const csv = [
      '公民身份号码,姓名,性别,民族,出生日期,资格种类,任教学科',
      `${GOOD_ID},李秀英,女,汉族,1949-12-31,高级中学教师资格,数学`,
      `${BAD_CHECKSUM_ID},王小明,男,汉族,1949/12/31,小学教师资格,语文`,
      `${GOOD_ID},李秀英,女,汉族,1949年12月31日,初级中学教师资格,物理`,
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: '教师资格-第一批.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
    await page.getByText('共 3 行，成功 2 行，失败 1 行').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    const rows = page.getByRole('row');
    expect(await rows.count()).toBe(4);
    const bad = rows.filter({ hasText: '王小明' });
    expect(await bad.textContent()).toContain('失败');
    expect(await bad.textContent()).toContain('校验位不符');
    expect(await rows.filter({ hasText: '成功' }).count()).toBe(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载结果' }).click()]);
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    expect(text.startsWith('\uFEFF行号,公民身份号码,姓名,结果')).toBe(true);
    expect(text.trim().split('\r\n')).toHaveLength(4);
    expect(text).toMatch(/\r\n3,110105194912310021,王小明,失败,,,/);
    await settled(page);
    expect(await screenshot(page, 'console-batch-desktop')).toBe(0);
    keepScreen('console-batch-desktop');
  }, 90_000);

  test('an .xlsx file made with exceljs is read the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['公民身份号码', '姓名', '性别', '民族', '出生日期', '资格种类', '任教学科']);
    sheet.addRow([GOOD_ID, '李秀英', '女', '汉族', new Date(Date.UTC(1949, 11, 31)), '小学教师资格', '音乐']);
    sheet.addRow([GOOD_ID, '李秀英', '女', 'Han', '1949-12-31', '小学教师资格', '美术']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.locator('input[type=file]').setInputFiles({ name: '教师资格-第二批.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await page.getByText('共 2 行，成功 1 行，失败 1 行').waitFor({ timeout: 60_000 });
    expect(
      await page
        .getByRole('row')
        .filter({ hasText: '美术' })
        .or(page.getByRole('row').filter({ hasText: '民族：' }))
        .first()
        .textContent(),
    ).toContain('民族的格式不正确');
  }, 90_000);

  test('revoking asks a reason and a confirmation that says what will happen; the status shows it after', async () => {
    await page.getByRole('link', { name: '证照管理' }).click();
    await field(page, '电子证照标识').fill(issuedIdentifier);
    await page.getByRole('button', { name: '查找', exact: true }).click();
    const status = page.getByRole('status', { name: '证照状态' });
    await status.filter({ hasText: /^有效$/ }).waitFor();
    await page.getByRole('img', { name: '教师资格证书 照面' }).waitFor();
    expect(await page.getByRole('button', { name: '恢复', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '注销', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('此操作不能撤销').waitFor();
    await dialog.getByRole('button', { name: '确认注销' }).click();
    await dialog.getByText('请填写原因。').waitFor();
    await dialog.getByRole('textbox', { name: '原因', exact: true }).fill('持证人资格已被依法撤销');
    await screenshot(page, 'console-lifecycle-confirm-desktop');
    await dialog.getByRole('button', { name: '确认注销' }).click();
    await status.filter({ hasText: /^已注销$/ }).waitFor();
    for (const name of ['暂停', '恢复', '注销', '换发']) {
      expect(await page.getByRole('button', { name, exact: true }).isDisabled()).toBe(true);
    }
    // The screen as it stays, once the toast saying 已注销 has gone.
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
    await settled(page);
    expect(await screenshot(page, 'console-lifecycle-desktop')).toBe(0);
    keepScreen('console-lifecycle-desktop');
  }, 90_000);

  test('on a phone the desks fit without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    // The header's links fold into its menu on a phone: the desks are opened by their addresses.
    await page.goto(`${vault.base}/console/issuer`);
    await choose(page, '证照类型', TEACHER);
    await field(page, '公民身份号码').fill(BAD_CHECKSUM_ID);
    await page.getByRole('button', { name: '签发', exact: true }).click();
    await errorOf(field(page, '公民身份号码'));
    await settled(page);
    expect(await screenshot(page, 'console-issue-phone')).toBe(0);
    keepScreen('console-issue-phone');
    await page.goto(`${vault.base}/console/issuer/batch`);
    await choose(page, '证照类型', TEACHER);
    await settled(page);
    expect(await screenshot(page, 'console-batch-phone')).toBe(0);
    await page.goto(`${vault.base}/console/issuer/licenses`);
    await page.getByRole('heading', { name: '证照管理' }).waitFor();
    await settled(page);
    expect(await screenshot(page, 'console-lifecycle-phone')).toBe(0);
  }, 90_000);

  test('every API call the desks made is in the OpenAPI document, and no page reported a problem', async () => {
    expect(await undocumentedCalls(vault.base, calls)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
