import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { createApp } from '../../src/http/app.js';
import type { Lifecycle } from '../../src/http/lifecycle.js';
import { mountRoutes, routeOf } from '../../src/http/routes/route.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import { IdentityError } from '../../src/shared/errors.js';
import { capturedLogger } from '../support/log-capture.js';

const ID = '11010519491231002X';
const MASKED = '110105********002X';

/** Routes that exist only to exercise the app's shared middleware. */
function probeRoutes(): Router {
  const router = Router();
  router.use(
    mountRoutes(
      [
        routeOf<null>()({
          method: 'post',
          path: '/probe/echo',
          tag: 'Probe',
          summary: 'Echoes its JSON body',
          roles: 'anyone',
          request: { body: z.unknown() },
          responses: {},
          handle: ({ body }, _req, res) => void res.json({ received: body }),
        }),
      ],
      null,
    ),
  );
  router.get('/probe/holders/:id', () => {
    throw new IdentityError('ERR_CITIZEN_ID_CHECKSUM');
  });
  router.get('/probe/crash', () => {
    throw new Error(`driver exploded while reading ${ID}`);
  });
  return router;
}

describe('http app', () => {
  let dir: string;
  let store: VaultStore;
  let lifecycle: Lifecycle;
  let log: ReturnType<typeof capturedLogger>;
  let app: ReturnType<typeof createApp>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-http-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    lifecycle = { shuttingDown: false };
    log = capturedLogger();
    app = createApp({
      logger: log.logger,
      lifecycle,
      jsonLimitBytes: 1024,
      health: { pingStore: () => store.ping(), storeKind: store.kind },
      routers: [probeRoutes()],
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/healthz answers with security headers and a request id', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a well-formed caller request id is kept; a hostile one is replaced', async () => {
    const kept = await request(app).get('/healthz').set('X-Request-Id', 'req-12345678');
    expect(kept.headers['x-request-id']).toBe('req-12345678');
    const replaced = await request(app).get('/healthz').set('X-Request-Id', '<script>alert(1)</script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('/readyz reports the store, and 503 when it cannot answer or shutdown began', async () => {
    await request(app).get('/readyz').expect(200, { status: 'ready', store: 'sqlite' });
    lifecycle.shuttingDown = true;
    const draining = await request(app).get('/readyz').expect(503);
    expect(draining.body).toMatchObject({ code: 'ERR_SHUTTING_DOWN', status: 503 });
    expect(draining.headers.connection).toBe('close');
    lifecycle.shuttingDown = false;
    await store.close();
    const down = await request(app).get('/readyz').expect(503);
    expect(down.body).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });

  test('an unknown route is a problem+json 404', async () => {
    const res = await request(app).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({
      type: 'urn:license-vault:problem:ERR_ROUTE_NOT_FOUND',
      title: 'No such resource',
      status: 404,
      detail: 'no resource at GET /nowhere',
      code: 'ERR_ROUTE_NOT_FOUND',
      requestId: res.headers['x-request-id'],
    });
    const masked = await request(app).get(`/nowhere/${ID}`).expect(404);
    expect(masked.body.detail).toBe(`no resource at GET /nowhere/${MASKED}`);
  });

  test('malformed JSON, oversized bodies and non-object JSON are refused with stable codes', async () => {
    const malformed = await request(app).post('/probe/echo').set('Content-Type', 'application/json').send(`{"id": ${ID}`).expect(400);
    expect(malformed.body).toMatchObject({ code: 'ERR_REQUEST_MALFORMED_JSON', detail: 'The request body is not valid JSON' });
    const large = await request(app)
      .post('/probe/echo')
      .send({ blob: 'x'.repeat(2048) })
      .expect(413);
    expect(large.body.code).toBe('ERR_REQUEST_TOO_LARGE');
    const scalar = await request(app).post('/probe/echo').set('Content-Type', 'application/json').send('"just a string"').expect(400);
    expect(scalar.body.code).toBe('ERR_REQUEST_MALFORMED_JSON');
    await request(app)
      .post('/probe/echo')
      .send({ ok: true })
      .expect(200, { received: { ok: true } });
  });

  test('a stable error keeps its code and status', async () => {
    const res = await request(app).get(`/probe/holders/${ID}`).expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_CITIZEN_ID_CHECKSUM', status: 400 });
  });

  test('an unexpected error is a bare 500; the log has the cause with ID numbers masked', async () => {
    const res = await request(app).get('/probe/crash').expect(500);
    expect(res.body.code).toBe('ERR_INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('exploded');
    const logged = log.text();
    expect(logged).toContain(`driver exploded while reading ${MASKED}`);
    expect(logged).not.toContain(ID);
  });

  test('request logs mask identity numbers in URLs', async () => {
    await request(app).get(`/probe/holders/${ID}?again=${ID.toLowerCase()}`);
    const line = log.lines().find((entry) => entry.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', status: 400, url: `/probe/holders/${MASKED}?again=${MASKED.toLowerCase()}` });
    expect(log.text()).not.toMatch(/11010519491231002x/i);
  });
});
