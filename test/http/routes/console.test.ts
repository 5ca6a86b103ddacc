import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../../src/http/app.js';
import { consoleRoutes, loadConsoleBundle, type ConsoleBundle } from '../../../src/http/routes/console.js';
import { capturedLogger } from '../../support/log-capture.js';

const PAGE = '<!doctype html><html lang="zh-CN"><script type="module" src="/console/assets/index-Ab12.js"></script><div id="root"></div></html>';
const SCRIPT = `console.log(${JSON.stringify('工作台'.repeat(200))});`;

function appServing(bundle: ConsoleBundle) {
  return createApp({
    logger: capturedLogger().logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: 1024,
    health: { pingStore: async () => {}, storeKind: 'test' },
    routers: [consoleRoutes(bundle)],
  });
}

describe('the staff console at /console', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-console-bundle-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    writeFileSync(join(dir, 'assets', 'index-Ab12.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'papaparse.min-Cd34.js'), SCRIPT);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(['/console', '/console/sign-in', '/console/issuer/batch'])('%s answers the one page, never cached stale, under the default Content-Security-Policy', async (path) => {
    const res = await request(appServing(loadConsoleBundle(dir)))
      .get(path)
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(res.text).toBe(PAGE);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  test('its scripts are served gzipped to browsers that ask, whole to others, cached for a year', async () => {
    const app = appServing(loadConsoleBundle(dir));
    // Raw bytes: supertest and fetch would inflate them on the way.
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const zipped = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/console/assets/index-Ab12.js', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    server.close();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(zipped.body).toString()).toBe(SCRIPT);
    expect(zipped.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 10);

    const plain = await request(app).get('/console/assets/index-Ab12.js').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/text\/javascript/);
    expect(plain.text).toBe(SCRIPT);
  });

  test('an unknown asset is a 404, and a name that is no asset name is refused before any look-up', async () => {
    const app = appServing(loadConsoleBundle(dir));
    await request(app).get('/console/assets/missing-1234.js').expect(404);
    await request(app).get('/console/assets/papaparse.min-Cd34.js').expect(200);
    await request(app).get('/console/assets/..js').expect(400);
    const odd = await request(app).get('/console/assets/..%2Findex.html').expect(400);
    expect(odd.body.code).toBe('ERR_REQUEST_INVALID');
  });

  test('a vault started without a built console says so in Chinese, with the command that builds it', async () => {
    const res = await request(appServing(loadConsoleBundle(join(dir, 'nothing-here'))))
      .get('/console')
      .expect(503);
    expect(res.text).toContain('npm run build');
  });
});
