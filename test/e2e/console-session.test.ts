import { DESKTOP, PHONE, recordApiCalls, screenshot, signInToConsole, startConsoleVault, undocumentedCalls, watchProblems, type ConsoleVault } from '../support/console-browser.js';

describe('console sessions in a real Chromium: an administrator at two devices signs out everywhere', () => {
  let vault: ConsoleVault;
  beforeAll(async () => {
    vault = await startConsoleVault();
  }, 120_000);
  afterAll(() => vault?.stop());

  test('signed in at a desk and on a phone; 在所有设备上退出 on the desk ends the phone’s session too', async () => {
    const admin = vault.staff('sysadmin');
    const desk = await vault.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const phone = await vault.browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const atDesk = await desk.newPage();
    const onPhone = await phone.newPage();
    const calls = [...[atDesk, onPhone].map((page) => recordApiCalls(page))];
    const problems = [atDesk, onPhone].map((page) => watchProblems(page));

    await signInToConsole(atDesk, vault.base, admin);
    await signInToConsole(onPhone, vault.base, admin);
    for (const page of [atDesk, onPhone]) {
      await page.waitForURL(`${vault.base}/console/home`);
      await page.getByRole('heading', { name: '工作台' }).waitFor();
      await expect(page.getByText('系统管理员').count()).resolves.toBeGreaterThan(0);
    }
    await expect(screenshot(atDesk, 'session-home-desktop')).resolves.toBe(0);
    await expect(screenshot(onPhone, 'session-home-phone')).resolves.toBe(0);

    await atDesk.getByRole('button', { name: `${admin.displayName} · 系统管理员` }).click();
    await atDesk.getByRole('menuitem', { name: '在所有设备上退出' }).click();
    await atDesk.waitForURL(`${vault.base}/console/sign-in`);
    await atDesk.getByText('已退出全部 2 个会话').waitFor();

    // The phone's next page finds no session: back to signing in, with the page it wanted remembered.
    await onPhone.reload();
    await onPhone.waitForURL(`${vault.base}/console/sign-in`);
    await onPhone.getByRole('button', { name: '登录' }).waitFor();

    await expect(undocumentedCalls(vault.base, calls.flat())).resolves.toEqual([]);
    // The only failures are the session checks the test caused: a 401 where nobody is signed in any more.
    for (const seen of problems) expect(seen.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
    await desk.close();
    await phone.close();
  }, 120_000);
});
