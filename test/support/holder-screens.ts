import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { launchChromium } from './chromium.js';
import { HOLDER_SCRIPT, HOLDER_SCRIPT_PATH, HOLDER_STYLESHEET, HOLDER_STYLESHEET_PATH } from '../../src/http/pages/holder/index.js';
import { renderedHolderPages } from './holder-page-fixtures.js';

/**
 * Screenshots of every holder page, rendered from fixtures, at a phone's and a
 * desktop's width, into test-results/holder-screens/ (git-ignored), for a
 * person to look at: `npx tsx test/support/holder-screens.ts [page…]`.
 * Reports any page wider than its viewport (a horizontal scroll on a phone).
 */
const VIEWPORTS = [
  ['phone', 360, 740],
  ['desktop', 1366, 900],
] as const;

async function main(only: readonly string[]): Promise<void> {
  const pages = await renderedHolderPages();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === HOLDER_STYLESHEET_PATH) res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(HOLDER_STYLESHEET);
    else if (path === HOLDER_SCRIPT_PATH) res.writeHead(200, { 'content-type': 'application/javascript' }).end(HOLDER_SCRIPT);
    else {
      const html = pages[path.slice(1)];
      if (html === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = join(process.cwd(), 'test-results', 'holder-screens');
  mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const name of Object.keys(pages).filter((n) => only.length === 0 || only.includes(n))) {
      for (const [label, width, height] of VIEWPORTS) {
        const page = await browser.newPage({ viewport: { width, height } });
        await page.goto(`${base}/${name}`);
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        if (overflow > 0) process.stdout.write(`${name} at ${label}: ${overflow} px wider than the screen\n`);
        await page.screenshot({ path: join(out, `${name}-${label}.png`), fullPage: true });
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.stdout.write(`screenshots in ${out}\n`);
}

void main(process.argv.slice(2));
