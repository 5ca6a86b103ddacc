import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { startVault, waitForLine } from '../support/vault-process.js';

/**
 * Screenshots are test artifacts (git-ignored); `UPDATE_SCREENS=1` also copies them to docs/screens/ for the README.
 */
const ARTIFACTS = join(__dirname, '../../test-results');
const SCREENS = join(__dirname, '../../docs/screens');
/** A loopback address that is not `localhost` and not 127.0.0.1. */
const HOST = '127.0.0.2';
/**
 * Chromium counts every loopback address as potentially trustworthy and never upgrades requests to it, so a name that
 * resolves to HOST stands in for an intranet address (`http://10.x.y.z`): there `upgrade-insecure-requests` would send
 * the page's own scripts to https and block them.
 */
const INTRANET_NAME = 'vault.intranet.example';

/** Everything a page reports going wrong: script errors, console errors (CSP and mixed-content refusals among them), failed requests. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Mixed Content|upgrade/i.test(message.text()))
      problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return problems;
}

describe('the front page of the built vault, served over plain http on a non-localhost address, in a real Chromium', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let browser: Browser;
  let base: string;
  let intranet: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-front-page-'));
    child = startVault({ PORT: '0', HOST, VAULT_DATA_DIR: join(dir, 'data'), VAULT_CERTS_DIR: join(dir, 'certs') }, { built: true });
    child.stderr.resume();
    const listening = await waitForLine(child, (line) => line.msg === 'license vault listening');
    child.stdout.resume();
    base = `http://${HOST}:${String(listening.port)}`;
    intranet = `http://${INTRANET_NAME}:${String(listening.port)}`;
    browser = await launchChromium([`--host-resolver-rules=MAP ${INTRANET_NAME} ${HOST}`]);
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

  test.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])(
    'at %s width (%i×%i) it shows what the vault is and its links, with nothing blocked and nothing wider than the screen',
    async (name, width, height) => {
      const page = await browser.newPage({ viewport: { width, height } });
      const problems = watch(page);
      const response = await page.goto(`${base}/`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(response?.headers()['strict-transport-security']).toBeUndefined();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('电子证照库 License Vault');
      for (const link of ['核验电子证照', '接口文档', 'OpenAPI 接口描述', '信任根证书']) await expect(page.getByRole('link', { name: link }).isVisible()).resolves.toBe(true);
      // Readable without sideways scrolling.
      await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(width);
      const file = join(ARTIFACTS, `front-page-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      if (process.env.UPDATE_SCREENS === '1') {
        mkdirSync(SCREENS, { recursive: true });
        copyFileSync(file, join(SCREENS, `front-page-${name}.png`));
      }
      expect(problems).toEqual([]);
      await page.close();
    },
    60_000,
  );

  test('its links work over http on an intranet name: /verify runs its script and answers a file, /docs renders the reference, the OpenAPI document and the trust roots arrive', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page);

    await page.goto(`${intranet}/`);
    await page.getByRole('link', { name: '核验电子证照' }).click();
    await page.waitForURL(`${intranet}/verify`);
    // The page's own script posts the file and writes the verdict: a refusal for a file that is no PDF.
    await page.setInputFiles('#file', { name: 'not-a-license.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
    await expect(page.locator('.verdict').getAttribute('data-result')).resolves.toBe('ERR_PDF_INVALID');

    await page.goto(`${intranet}/`);
    await page.getByRole('link', { name: '接口文档' }).click();
    await page.waitForURL(`${intranet}/docs`);
    // Swagger UI is all script: its title appears only if every script loaded over http.
    await expect(page.locator('.swagger-ui .info .title').textContent({ timeout: 15_000 })).resolves.toContain('License Vault API');

    await page.goto(`${intranet}/`);
    const [openapi] = await Promise.all([page.waitForResponse(`${intranet}/api/openapi.json`), page.getByRole('link', { name: 'OpenAPI 接口描述' }).click()]);
    expect(openapi.status()).toBe(200);
    await expect(openapi.json()).resolves.toMatchObject({ openapi: '3.1.0', paths: { '/': { get: expect.any(Object) } } });

    await page.goto(`${intranet}/`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '信任根证书' }).click()]);
    expect(download.suggestedFilename()).toBe('license-vault-trust-roots.pem');
    expect(await download.failure()).toBeNull();

    // The 400 is the refusal of the non-PDF above; the browser's own favicon request from the JSON and docs pages finds none.
    const expected = (problem: string) => /status of 400 .*\/api\/v1\/verifications\)$|status of 404 .*\/favicon\.ico\)$/.test(problem);
    expect(problems.filter((problem) => !expected(problem))).toEqual([]);
    await page.close();
  }, 90_000);
});
