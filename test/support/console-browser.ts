import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

export { watchProblems } from './chromium.js';
import type { Role } from '../../src/modules/auth/index.js';
import { freePort, runVault } from './vault-process.js';

/** The console's screenshots: test artifacts (git-ignored) unless a test copies one to docs/screens. */
export const CONSOLE_ARTIFACTS = join(__dirname, '../../test-results/console');
export const SCREENS = join(__dirname, '../../docs/screens');
export const DESKTOP = { width: 1366, height: 860 } as const;
export const PHONE = { width: 390, height: 844 } as const;
const HOST = '127.0.0.1';

/** A member of staff as the embedded default writes them to demo-credentials.json. */
export interface DemoStaffUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: 'clerk' | 'issuer' | 'sysadmin' | 'secadmin' | 'auditor';
  readonly department: string | null;
  readonly password: string;
  /** Base32; null for someone who has not enrolled an authenticator app. */
  readonly totpSecret: string | null;
}

export interface ConsoleDemoCredentials {
  readonly accounts: readonly { readonly role: string; readonly clientId: string; readonly clientSecret: string }[];
  readonly holders: readonly { readonly type: string; readonly number: string; readonly name: string; readonly password: string }[];
  readonly staff: readonly DemoStaffUser[];
}

export interface ConsoleVault {
  readonly base: string;
  readonly dir: string;
  readonly credentials: ConsoleDemoCredentials;
  readonly browser: Browser;
  /** The demo member of staff with this role (the first one). */
  staff(role: DemoStaffUser['role']): DemoStaffUser;
  /** A bearer token of the demo service account with this role, for setting the scene over the API. */
  tokenFor(role: string): Promise<string>;
  stop(): Promise<void>;
}

/** The built vault on a fresh data directory with its demo set-up, and a Chromium (Debian's, never a download). */
export async function startConsoleVault(env: Record<string, string> = {}): Promise<ConsoleVault> {
  const dir = mkdtempSync(join(tmpdir(), 'vault-console-'));
  const port = await freePort(HOST);
  const base = `http://${HOST}:${port}`;
  // The public URL names the port, so that the console's changes carry the Origin the vault expects.
  const vault = await runVault(dir, { PORT: String(port), HOST, VAULT_PUBLIC_URL: base, VAULT_DEMO_SETUP: 'auto', ...env }, { built: true });
  const credentials = JSON.parse(readFileSync(join(dir, 'data', 'demo-credentials.json'), 'utf8')) as ConsoleDemoCredentials;
  const browser = await launchChromium();
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  return {
    base,
    dir,
    credentials,
    browser,
    staff(role) {
      const user = credentials.staff.find((candidate) => candidate.role === role);
      if (!user) throw new TypeError(`no demo ${role} in demo-credentials.json`);
      return user;
    },
    tokenFor: (role) => vault.tokenFor(role as Role),
    async stop() {
      await browser.close();
      await vault.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The code an authenticator app enrolled with `secret` shows now. */
export function currentOtp(secret: string): string {
  return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}

const OTP_PERIOD_MS = 30_000;
/** The last time step whose code this process handed out, per secret. */
const usedSteps = new Map<string, number>();

/**
 * A code the vault has not accepted yet for `secret`. The vault takes each
 * code once (a replay is refused) and accepts the next step's code too, so
 * two sign-ins of one user in a 30 s step need no wait; a third waits for the
 * step to turn, as a person would.
 */
export async function unusedOtp(secret: string): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / OTP_PERIOD_MS);
    const next = Math.max(step, (usedSteps.get(secret) ?? step - 1) + 1);
    if (next <= step + 1) {
      usedSteps.set(secret, next);
      return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: next * OTP_PERIOD_MS });
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * OTP_PERIOD_MS - Date.now() + 50));
  }
}

/** Signs in at /console/sign-in as a person does: by the fields' labels and the button's name. */
export async function signInToConsole(page: Page, base: string, user: DemoStaffUser): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  await page.getByLabel('账号').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  if (user.totpSecret) await page.getByLabel('动态口令').fill(await unusedOtp(user.totpSecret));
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

/** The API calls a page makes (`METHOD /path`), for checking each against the OpenAPI document. */
export function recordApiCalls(page: Page): { readonly method: string; readonly path: string }[] {
  const calls: { method: string; path: string }[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) calls.push({ method: request.method().toLowerCase(), path: url.pathname });
  });
  return calls;
}

/** The calls that match no operation of the vault's OpenAPI document (an empty list when the console keeps to the contract). */
export async function undocumentedCalls(base: string, calls: readonly { readonly method: string; readonly path: string }[]): Promise<string[]> {
  const document = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) })),
  );
  return [
    ...new Set(
      calls.filter((call) => !operations.some((op) => op.method === call.method && op.pattern.test(call.path))).map((call) => `${call.method.toUpperCase()} ${call.path}`),
    ),
  ];
}

/** Saves a screenshot among the test's artifacts and answers how many pixels the page is wider than its viewport (0: no sideways scrolling). */
export async function screenshot(page: Page, name: string): Promise<number> {
  await page.screenshot({ path: join(CONSOLE_ARTIFACTS, `${name}.png`), fullPage: true });
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * A screenshot of the artifacts as one of the README's screens
 * (docs/screens/{as}.png): copied there only by `npm run screens`
 * (KEEP_SCREENS=1), so that a test run leaves the repository as it was; too
 * heavy to keep in git (500 KiB) fails either way.
 */
export function keepScreen(name: string, as: string = name): void {
  const source = join(CONSOLE_ARTIFACTS, `${name}.png`);
  const size = statSync(source).size;
  if (size >= 500 * 1024) throw new RangeError(`${as}.png has ${size} bytes: screens kept in git stay under 500 KiB`);
  if (process.env.KEEP_SCREENS === '1') copyFileSync(source, join(SCREENS, `${as}.png`));
}
