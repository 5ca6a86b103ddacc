import { chromium, type Browser, type Page, type Request } from 'playwright-core';

/** Debian's Chromium (never a Playwright download), quiet: no sandbox (containers), no GPU, no background traffic. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Everything a page reports going wrong: script errors, console errors (CSP refusals among them), failed requests not `ignore`d. */
export function watchProblems(page: Page, ignore: (request: Request) => boolean = () => false): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => {
    if (!ignore(request)) problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return problems;
}
