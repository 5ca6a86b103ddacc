import type { Express } from 'express';
import request from 'supertest';
import { ANONYMOUS_JSON_LIMIT_BYTES, JSON_MAX_DEPTH, jsonNestsDeeperThan } from '../../src/http/middleware/json-body.js';
import { ALL_ROUTES } from '../../src/http/routes/docs.js';
import type { Role } from '../../src/modules/auth/index.js';
import type { LicenseTemplate } from '../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../fixtures/pki.js';
import { tokenFor } from '../support/auth.js';
import { mountedApp } from '../support/mounted-app.js';
import { capturedLogger } from '../support/log-capture.js';
import { openVaultHarness, type VaultHarness } from '../support/vault-harness.js';

const CONFIGURED_JSON_LIMIT = 2 * 1024 * 1024;
const ID = '11010519491231002X';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
/** `{"a":{"a":…{}…}}`, `depth` objects deep. */
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

/** The roles a route accepts, as its definition says (so the test follows role renames). */
function rolesOf(method: string, path: string): readonly Role[] {
  const route = ALL_ROUTES.find((r) => r.method === method && r.path === path);
  if (!route || route.roles === 'anyone' || route.roles === 'holder') throw new Error(`${method} ${path} is not a route for staff tokens`);
  return route.roles;
}

describe('the edge refuses what is cheap to send and expensive to handle', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseTemplate;
  const tokens = new Map<Role, string>();
  let log: ReturnType<typeof capturedLogger>;

  async function as(method: string, path: string): Promise<{ Authorization: string }> {
    const role = rolesOf(method, path)[0] as Role;
    if (!tokens.has(role)) tokens.set(role, await tokenFor(app, vault.store, role, role === 'issuer' ? TEST_DEPARTMENT.creditCode : undefined));
    return { Authorization: `Bearer ${tokens.get(role) ?? ''}` };
  }

  const issueBody = (name = '李秀英') => ({ licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: ID, name }, fields: teacher.example.fields });

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    log = capturedLogger();
    // As main.ts mounts them, with the default VAULT_JSON_LIMIT_BYTES.
    app = mountedApp(vault, { logger: log.logger, jsonLimitBytes: CONFIGURED_JSON_LIMIT });
  });
  afterAll(() => vault.close());

  describe('JSON bodies', () => {
    test('the depth scan counts brackets outside strings only', () => {
      const bytes = (text: string) => Buffer.from(text, 'utf8');
      expect(jsonNestsDeeperThan(bytes(nested(JSON_MAX_DEPTH)), JSON_MAX_DEPTH)).toBe(false);
      expect(jsonNestsDeeperThan(bytes(nested(JSON_MAX_DEPTH + 1)), JSON_MAX_DEPTH)).toBe(true);
      expect(jsonNestsDeeperThan(bytes(`{"a":"${'['.repeat(100)}","b":"\\"${'{'.repeat(100)}"}`), JSON_MAX_DEPTH)).toBe(false);
      expect(jsonNestsDeeperThan(bytes(`["\\\\",${nested(JSON_MAX_DEPTH)}]`), JSON_MAX_DEPTH)).toBe(true);
      expect(jsonNestsDeeperThan(bytes(`{"名":"${'李'.repeat(50)}","x":${nested(3, '{"a":', '}')}}`), JSON_MAX_DEPTH)).toBe(false);
    });

    test.each(['/api/v1/auth/token', '/api/v1/verifications/fields'])('2 MiB of nested arrays to %s (open to anyone) is 413 without parsing', async (path) => {
      const res = await request(app).post(path).set('Content-Type', 'application/json').send('['.repeat(CONFIGURED_JSON_LIMIT)).expect(413);
      expect(res.body.code).toBe('ERR_REQUEST_TOO_LARGE');
      const justOver = await request(app)
        .post(path)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ clientId: 'x'.repeat(ANONYMOUS_JSON_LIMIT_BYTES) }))
        .expect(413);
      expect(justOver.body.code).toBe('ERR_REQUEST_TOO_LARGE');
    });

    test.each(['/api/v1/auth/token', '/api/v1/verifications/fields'])('a small but deeply nested body to %s is 400 ERR_REQUEST_TOO_DEEP', async (path) => {
      const res = await request(app).post(path).set('Content-Type', 'application/json').send(nested(4000)).expect(400);
      expect(res.body.code).toBe('ERR_REQUEST_TOO_DEEP');
    });

    test('a protected route answers a caller without a token 401 before reading its body', async () => {
      const unauthenticated = [
        nestedObject(100),
        // Malformed: refused as JSON only if it were parsed.
        `${'{"a":'.repeat(100)}`,
        // Over VAULT_JSON_LIMIT_BYTES.
        `{"fields":"${'x'.repeat(CONFIGURED_JSON_LIMIT + 1024)}"}`,
      ];
      for (const body of unauthenticated) {
        const res = await request(app).post('/api/v1/licenses').set('Content-Type', 'application/json').send(body).expect(401);
        expect(res.body.code).toBe('ERR_AUTH_TOKEN_MISSING');
      }
    });

    test('an authenticated caller gets 400 ERR_REQUEST_TOO_DEEP for a deep body, and the configured limit for a large one', async () => {
      const issuer = await as('post', '/api/v1/licenses');
      const deep = await request(app).post('/api/v1/licenses').set(issuer).set('Content-Type', 'application/json').send(nestedObject(100)).expect(400);
      expect(deep.body.code).toBe('ERR_REQUEST_TOO_DEEP');
      // Larger than an anonymous route reads, within VAULT_JSON_LIMIT_BYTES: read and checked by the schema.
      const large = await request(app)
        .post('/api/v1/licenses')
        .set(issuer)
        .send({ ...issueBody(), padding: 'x'.repeat(64 * 1024) })
        .expect(400);
      expect(large.body.code).toBe('ERR_REQUEST_INVALID');
      await request(app).post('/api/v1/licenses').set(issuer).send(issueBody()).expect(201);
    });

    test('a body in another charset than UTF-8 is refused (it would hide brackets from the scan)', async () => {
      const res = await request(app)
        .post('/api/v1/auth/token')
        .set('Content-Type', 'application/json; charset=utf-16le')
        .send(Buffer.from('{"clientId":"a","clientSecret":"b"}', 'utf16le'))
        .expect(415);
      expect(res.body.code).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
    });

    test('prototype keys are still refused', async () => {
      const res = await request(app).post('/api/v1/auth/token').set('Content-Type', 'application/json').send('{"__proto__":{"admin":true}}').expect(400);
      expect(res.body.code).toBe('ERR_REQUEST_MALFORMED_JSON');
    });
  });

  test.each(['/v/%E0%A4%A', '/api/v1/licenses/%', '/%C0%AE', '/v/%', '/api/v1/holders/%ZZ/licenses'])('the malformed URL %s is 400 ERR_URL_MALFORMED, never 500', async (path) => {
    const headers = path.startsWith('/api/v1/') ? await as('get', '/api/v1/licenses/:identifier') : {};
    const clerk = path.startsWith('/api/v1/holders') ? await as('get', '/api/v1/holders/:holderId/licenses') : headers;
    const res = await request(app).get(path).set(clerk);
    expect([res.status, res.body.code]).toEqual([400, 'ERR_URL_MALFORMED']);
    expect(log.lines().filter((line) => line.msg === 'unexpected error')).toEqual([]);
  });

  test('a holder name with a right-to-left override, a zero-width character or markup is 400 ERR_HOLDER_NAME_INVALID at the edge', async () => {
    const issuer = await as('post', '/api/v1/licenses');
    const before = await vault.store.licenses.count();
    for (const name of ['李\u202e英秀', '李\u200b秀英', '<img src=x onerror=alert(1)>', '李\u0000秀英']) {
      const res = await request(app).post('/api/v1/licenses').set(issuer).send(issueBody(name)).expect(400);
      expect(res.body).toMatchObject({ code: 'ERR_HOLDER_NAME_INVALID', details: { field: 'holder.name' } });
    }
    const batch = await request(app)
      .post('/api/v1/licenses/batch')
      .set(await as('post', '/api/v1/licenses/batch'))
      .send({ items: [issueBody('李\u2060秀英')] })
      .expect(200);
    expect(batch.body).toMatchObject({ issued: 0, failed: 1, results: [{ ok: false, error: { code: 'ERR_HOLDER_NAME_INVALID' } }] });
    const { body: issued } = await request(app).post('/api/v1/licenses').set(issuer).send(issueBody()).expect(201);
    const reissue = await request(app)
      .post(`/api/v1/licenses/${issued.identifier as string}/reissue`)
      .set(await as('post', '/api/v1/licenses/:identifier/reissue'))
      .send({ holderName: '李\ufeff秀英' })
      .expect(400);
    expect(reissue.body.code).toBe('ERR_HOLDER_NAME_INVALID');
    await expect(vault.store.licenses.count()).resolves.toBe(before + 1);
  });

  describe('Cache-Control', () => {
    const CACHEABLE = ['GET /api/v1/license-types', 'GET /api/v1/trust'];

    test('every answer carrying personal data says no-store: issuance, batch, lifecycle, reissue, admin lists, audit verification', async () => {
      const noStore = (res: request.Response) => expect([res.status, res.headers['cache-control']]).toEqual([res.status, 'no-store']);
      const issued = await request(app)
        .post('/api/v1/licenses')
        .set(await as('post', '/api/v1/licenses'))
        .send(issueBody())
        .expect(201);
      noStore(issued);
      const identifier = issued.body.identifier as string;
      noStore(
        await request(app)
          .post('/api/v1/licenses/batch')
          .set(await as('post', '/api/v1/licenses/batch'))
          .send({ items: [issueBody()] })
          .expect(200),
      );
      for (const [action, body] of [
        ['suspend', { reason: '核查中' }],
        ['reinstate', { reason: '核查完毕' }],
      ] as const) {
        const path = `/api/v1/licenses/:identifier/${action}`;
        noStore(
          await request(app)
            .post(`/api/v1/licenses/${identifier}/${action}`)
            .set(await as('post', path))
            .send(body)
            .expect(200),
        );
      }
      const reissued = await request(app)
        .post(`/api/v1/licenses/${identifier}/reissue`)
        .set(await as('post', '/api/v1/licenses/:identifier/reissue'))
        .send({ holderName: '李秀英' });
      expect(reissued.status).toBe(201);
      noStore(reissued);
      noStore(
        await request(app)
          .post(`/api/v1/licenses/${reissued.body.identifier as string}/revoke`)
          .set(await as('post', '/api/v1/licenses/:identifier/revoke'))
          .send({ reason: '依法撤销' })
          .expect(200),
      );
      for (const path of ['/api/v1/admin/departments', '/api/v1/admin/accounts', '/api/v1/audit/verify'])
        noStore(
          await request(app)
            .get(path)
            .set(await as('get', path))
            .expect(200),
        );
    });

    test('every documented /api/v1 operation answers no-store, except the public catalogue and trust list', async () => {
      for (const route of ALL_ROUTES.filter((r) => r.path.startsWith('/api/v1/'))) {
        const where = `${route.method.toUpperCase()} ${route.path}`;
        const path = route.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'holderId' ? ID : name === 'creditCode' ? TEST_DEPARTMENT.creditCode : 'x'));
        let call = request(app)[route.method](path);
        if (route.roles !== 'anyone' && route.roles !== 'holder') call = call.set(await as(route.method, route.path));
        const res = await (route.request?.body ? call.send({}) : call);
        expect([where, res.headers['cache-control']]).toEqual([where, CACHEABLE.includes(where) ? 'public, max-age=300' : 'no-store']);
      }
    });
  });
});
