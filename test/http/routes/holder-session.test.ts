import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../../src/http/app.js';
import { holderOf, holderSessionGate } from '../../../src/http/middleware/holder-session.js';
import { mountRoutes, routeOf } from '../../../src/http/routes/route.js';
import { capturedLogger } from '../../support/log-capture.js';
import { holderSession, holderSessionsOf } from '../../support/holder-session.js';
import { mountedApp } from '../../support/mounted-app.js';
import { tokenFor } from '../../support/auth.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const CITIZEN = '11010519491231002X';

describe('holder sessions over HTTP', () => {
  let vault: VaultHarness;
  let app: Express;

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
  });
  afterAll(() => vault.close());

  test('the session cookie signs the holder in; the number is shown masked', async () => {
    const { cookie } = await holderSession(vault, CITIZEN, { name: '李秀英' });
    const res = await request(app).get('/api/v1/me').set('Cookie', cookie).expect(200);
    expect(res.body).toEqual({ holder: { type: 'citizen', number: '110105********002X', name: '李秀英' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('no cookie, an unknown token, an expired session or a staff bearer token: 401 ERR_HOLDER_SESSION_MISSING', async () => {
    const { cookie } = await holderSession(vault, CITIZEN);
    const bearer = await tokenFor(app, vault.store, 'clerk');
    const attempts = [
      request(app).get('/api/v1/me'),
      request(app).get('/api/v1/me').set('Cookie', 'vault_holder=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      request(app).get('/api/v1/me').set('Cookie', 'vault_holder=%00%27'),
      request(app).get('/api/v1/me').set('Authorization', `Bearer ${bearer}`),
    ];
    for (const attempt of attempts) expect((await attempt.expect(401)).body).toMatchObject({ code: 'ERR_HOLDER_SESSION_MISSING' });
    vault.clock.set('2026-11-21T02:30:00Z');
    try {
      expect((await request(app).get('/api/v1/me').set('Cookie', cookie).expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
    } finally {
      vault.clock.set('2026-11-21T02:00:00Z');
    }
  });

  test("a holder's cookie opens no staff route", async () => {
    const { cookie } = await holderSession(vault, CITIZEN);
    const res = await request(app).get(`/api/v1/holders/${CITIZEN}/licenses`).query({ purpose: '办理入学登记' }).set('Cookie', cookie).expect(401);
    expect(res.body.code).toBe('ERR_AUTH_TOKEN_MISSING');
  });
});

describe("holder routes that change something need the vault's own Origin", () => {
  let vault: VaultHarness;
  let app: Express;
  let calls: string[];

  beforeAll(async () => {
    vault = await openVaultHarness();
    calls = [];
    const route = routeOf<unknown>();
    const changes = mountRoutes(
      [
        route({
          method: 'post',
          path: '/api/v1/me/things',
          tag: 'Holders',
          summary: 'A change',
          roles: 'holder',
          responses: { 204: { description: 'Done', content: {} } },
          handle(_input, _req, res) {
            calls.push(holderOf(res).sessionId);
            res.status(204).end();
          },
        }),
      ],
      undefined,
      { publicUrl: PUBLIC_URL },
    );
    app = createApp({
      logger: capturedLogger().logger,
      lifecycle: { shuttingDown: false },
      jsonLimitBytes: 1024,
      health: { pingStore: async () => {}, storeKind: 'sqlite' },
      routers: [holderSessionGate({ sessions: holderSessionsOf(vault) }), changes],
    });
  });
  afterAll(() => vault.close());

  test('same origin: done; another origin, none, or "null": 403 ERR_ORIGIN_REFUSED and nothing done', async () => {
    const { cookie, principal } = await holderSession(vault, CITIZEN);
    await request(app).post('/api/v1/me/things').set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(204);
    for (const origin of ['https://evil.example', 'null', 'http://zzk.example.gov.cn', `${PUBLIC_URL}.evil.example`, undefined]) {
      let call = request(app).post('/api/v1/me/things').set('Cookie', cookie);
      if (origin !== undefined) call = call.set('Origin', origin);
      expect((await call.expect(403)).body.code).toBe('ERR_ORIGIN_REFUSED');
    }
    expect(calls).toEqual([principal.sessionId]);
  });

  test('without a session the change is refused before the origin is looked at', async () => {
    expect((await request(app).post('/api/v1/me/things').set('Origin', 'https://evil.example').expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
  });
});
