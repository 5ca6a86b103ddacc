import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { StrictPdfSignatureVerifier } from '../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../src/adapters/pki/x509/index.js';
import { createApp } from '../../src/http/app.js';
import { verificationRoutes } from '../../src/http/routes/verification.js';
import type { Principal } from '../../src/modules/auth/index.js';
import { LicenseLifecycle } from '../../src/modules/licenses/lifecycle.js';
import type { LicenseTemplate } from '../../src/modules/templates/index.js';
import { LicenseVerification } from '../../src/modules/verification/index.js';
import { TEST_DEPARTMENT } from '../fixtures/pki.js';
import { capturedLogger } from '../support/log-capture.js';
import { flipByte, offsetInFirstStream } from '../support/tamper.js';
import { openVaultHarness, type VaultHarness } from '../support/vault-harness.js';

/** Screenshots are kept as test artifacts (git-ignored). */
const ARTIFACTS = join(__dirname, '../../test-results');
const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

describe('/verify in a real headless Chromium', () => {
  let vault: VaultHarness;
  let server: Server;
  let browser: Browser;
  let base: string;
  let dir: string;
  let genuineNumber: string;
  let revokedNumber: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    vault = await openVaultHarness();
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const issue = async () => {
      const { license } = await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      });
      return { license, bytes: (await vault.store.licenseFiles.get(license.identifier))!.bytes };
    };
    dir = mkdtempSync(join(tmpdir(), 'vault-verify-page-'));
    const genuine = await issue();
    genuineNumber = genuine.license.licenseNumber;
    const revoked = await issue();
    revokedNumber = revoked.license.licenseNumber;
    await new LicenseLifecycle(vault.store, vault.clock).change(issuer, revoked.license.identifier, 'revoke', '以欺骗手段取得');
    for (const [name, bytes] of [
      ['issued', genuine.bytes],
      ['tampered', flipByte(genuine.bytes, offsetInFirstStream(genuine.bytes))],
      ['revoked', revoked.bytes],
    ] as const) {
      files[name] = join(dir, `${name}.pdf`);
      writeFileSync(files[name], bytes);
    }
    const verifier = new StrictPdfSignatureVerifier({
      trustedRoots: () => [{ der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) }],
      clock: vault.clock,
    });
    const app = createApp({
      logger: capturedLogger().logger,
      lifecycle: { shuttingDown: false },
      jsonLimitBytes: 1024,
      health: { pingStore: () => vault.store.ping(), storeKind: 'sqlite' },
      routers: [
        verificationRoutes(new LicenseVerification(vault.store, verifier, vault.templates, vault.clock), {
          perMinute: 1000,
          fieldChecksPerMinute: 1000,
          fieldChecksPerDay: 1000,
          uploadsInFlight: 10,
          clock: vault.clock,
          logger: capturedLogger().logger,
        }),
      ],
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['issued', 'authentic', '真实有效'],
    ['tampered', 'tampered', '文件已被篡改'],
    ['revoked', 'revoked', '已撤销'],
  ])('a license that is %s shows "%s" with each check explained', async (name, result, chinese) => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${base}/verify`);
    await page.setInputFiles('#file', files[name] ?? '');
    const verdict = page.locator('.verdict');
    await verdict.waitFor({ timeout: 10_000 });
    await expect(verdict.getAttribute('data-result')).resolves.toBe(result);
    await expect(verdict.textContent()).resolves.toContain(chinese);
    if (result !== 'tampered') await expect(page.locator('dd').filter({ hasText: '110105********002X' }).count()).resolves.toBe(1);
    await expect(page.locator('li').count()).resolves.toBeGreaterThan(0);
    // The issuer's reason for revoking stays with the issuer (issue 15).
    await expect(page.locator('main').textContent()).resolves.not.toContain('以欺骗手段取得');
    await page.screenshot({ path: join(ARTIFACTS, `verify-${name}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  test.each([
    ['the right holder', 'consistent', () => genuineNumber, '李秀英', '11010519491231002X', '信息一致', 'good', '有效 In force'],
    ['the right holder of a revoked license', 'consistent', () => revokedNumber, '李秀英', '11010519491231002X', '信息一致', 'warn', '已撤销 Revoked'],
    ['a wrong ID number', 'inconsistent', () => genuineNumber, '李秀英', '440524188001010014', '信息不符', 'bad', ''],
    ['a license number the vault never issued', 'inconsistent', () => `${genuineNumber}9`, '李秀英', '11010519491231002X', '信息不符', 'bad', ''],
  ])('the field check form with %s answers %s, a mismatch naming nothing', async (name, result, licenseNumber, holderName, holderId, chinese, tone, status) => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/verify`);
    await page.getByLabel('证照编号或电子证照标识').fill(licenseNumber());
    await page.getByLabel('持证主体名称').fill(holderName);
    await page.getByLabel('身份证件号码或统一社会信用代码').fill(holderId);
    await page.getByRole('button', { name: '核对 Check' }).click();
    const verdict = page.locator('.verdict');
    await verdict.waitFor({ timeout: 10_000 });
    await expect(verdict.getAttribute('data-result')).resolves.toBe(result);
    const text = (await verdict.textContent()) ?? '';
    expect(text).toContain(chinese);
    if (result === 'inconsistent') {
      expect(text).toContain('The details do not match a license of this vault');
      await expect(page.locator('dd').count()).resolves.toBe(0);
    } else {
      await expect(page.locator('dd').filter({ hasText: '110105********002X' }).count()).resolves.toBe(1);
      // A match with a license no longer in force is not shown as good news.
      await expect(page.locator('dd').first().textContent()).resolves.toBe(status);
    }
    await expect(verdict.getAttribute('class')).resolves.toBe(`verdict ${tone}`);
    await page.screenshot({ path: join(ARTIFACTS, `verify-fields-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
