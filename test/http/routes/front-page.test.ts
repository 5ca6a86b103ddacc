import { dirname } from 'node:path';
import request from 'supertest';
import { createApp } from '../../../src/http/app.js';
import { docsRoutes } from '../../../src/http/routes/docs.js';
import { frontPageRoutes } from '../../../src/http/routes/front-page.js';
import { trustRoutes } from '../../../src/http/routes/trust.js';
import { capturedLogger } from '../../support/log-capture.js';

function vaultApp(trustProxy: boolean, consoles: Parameters<typeof frontPageRoutes>[0] = {}) {
  return createApp({
    logger: capturedLogger().logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: 1024,
    trustProxy,
    health: { pingStore: async () => {}, storeKind: 'test' },
    routers: [
      frontPageRoutes(consoles),
      trustRoutes({ roots: () => [] }),
      docsRoutes({ publicUrl: 'http://10.12.0.7:8080', swaggerUiDir: dirname(require.resolve('swagger-ui-dist/package.json')) }),
    ],
  });
}

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');

describe('the front page (/)', () => {
  test('is an HTML page, not a JSON 404: what the vault is, and links to verify, the API reference and the OpenAPI document', async () => {
    const page = await request(vaultApp(false))
      .get('/')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.text).toContain('<h1>电子证照库 <small>License Vault</small></h1>');
    expect(page.text).toContain('This vault issues, stores and verifies electronic licenses.');
    expect(hrefs(page.text)).toEqual(['data:,', '/verify', '/docs', '/api/openapi.json', '/api/v1/trust']);
    // Nothing from elsewhere and no script: it works on a closed intranet and without JavaScript.
    expect(page.text).not.toMatch(/<script|(?:src|href)="(?:https?:)?\/\//i);
    expect(page.text).not.toContain('工作台');
  });

  test('every link it shows answers on the same vault', async () => {
    const app = vaultApp(false);
    const page = await request(app).get('/').expect(200);
    for (const href of hrefs(page.text).filter((h) => h.startsWith('/') && h !== '/verify')) await request(app).get(href).expect(200);
  });

  test('lists the consoles once it is given them', async () => {
    const consoles = [{ href: '/console/', zh: '工作人员工作台', en: 'Staff console', about: { zh: '发证、查证与审计。', en: 'Issue, look up and audit.' } }];
    const page = await request(vaultApp(false, { consoles })).get('/').expect(200);
    expect(page.text).toContain('<h2 id="consoles">工作台 <small>Consoles</small></h2>');
    expect(hrefs(page.text)).toContain('/console/');
  });
});

describe('security headers over plain http and over https', () => {
  test('over http (an intranet address): no HSTS, and the CSP does not upgrade the page’s own requests to https', async () => {
    const res = await request(vaultApp(false)).get('/').expect(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    const csp = res.headers['content-security-policy'] ?? '';
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('over https (X-Forwarded-Proto from a trusted proxy): HSTS and upgrade-insecure-requests are both sent', async () => {
    const res = await request(vaultApp(true)).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    // The same holds for every route, not just the page.
    const health = await request(vaultApp(true)).get('/healthz').set('X-Forwarded-Proto', 'https').expect(200);
    expect(health.headers['strict-transport-security']).toBeDefined();
  });

  test('X-Forwarded-Proto from an untrusted client is not believed: still treated as http', async () => {
    const res = await request(vaultApp(false)).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
