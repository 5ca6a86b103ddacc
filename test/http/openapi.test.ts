import type { Express } from 'express';
import request from 'supertest';
import type { z } from 'zod';
import { createApp } from '../../src/http/app.js';
import { openApiPath } from '../../src/http/openapi.js';
import { ALL_ROUTES } from '../../src/http/routes/docs.js';
import type { RawBody } from '../../src/http/routes/route.js';
import { Problem } from '../../src/http/schemas/problem.js';
import type { Role } from '../../src/modules/auth/index.js';
import { HOLDER_TYPES } from '../../src/modules/identity/index.js';
import { HOLDER_NAME_MAX_LENGTH, LICENSE_STATUSES, PURPOSE_MAX_LENGTH } from '../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../fixtures/pki.js';
import { tokenFor } from '../support/auth.js';
import { mountedApp } from '../support/mounted-app.js';
import { capturedLogger } from '../support/log-capture.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../support/vault-harness.js';

type Json = Record<string, unknown>;
interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: readonly Layer[] };
  readonly slash?: boolean;
}

/** Every method + path express would answer, read from the router stack of the app. */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: readonly Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle.stack) {
        // A router mounted under a prefix would need the prefix added: the vault mounts all of them at the root.
        expect(layer.slash).toBe(true);
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: readonly Layer[] } }).router.stack);
  return found;
}

function documentedOperations(document: Json): string[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

/** Every `$ref` anywhere in `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
}

function resolve(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Json)[part] : undefined), document);
}

/** The zod schema the route table documents for this response: the live body must parse with it. */
function documentedSchema(method: string, path: string, status: number, contentType: string): z.ZodType {
  const route = ALL_ROUTES.find((r) => r.method === method && r.path === path);
  if (status >= 400 && route?.responses[status] === undefined) return Problem;
  const body: z.ZodType | RawBody | undefined = route?.responses[status]?.content[contentType];
  if (body === undefined || typeof body === 'string') throw new Error(`${method} ${path} documents no JSON body for ${status} ${contentType}`);
  return body;
}

describe('the OpenAPI document', () => {
  let vault: VaultHarness;
  let app: Express;
  let document: Json;
  let teacher: LicenseTemplate;
  const tokens: Partial<Record<Role, string>> = {};
  const as = (role: Role) => ({ Authorization: `Bearer ${tokens[role] ?? ''}` });

  /** Asserts the live response parses with the schema its route documents (strict objects: an undocumented member fails). */
  function expectDocumented(method: string, path: string, res: request.Response): void {
    const contentType = String(res.headers['content-type']).split(';')[0] ?? '';
    expect(['application/json', 'application/problem+json']).toContain(contentType);
    if (res.status >= 400 && contentType === 'application/problem+json') expect(documentedSchema(method, path, res.status, contentType)).toBe(Problem);
    const parsed = documentedSchema(method, path, res.status, contentType).safeParse(res.body);
    if (!parsed.success) throw new Error(`${method.toUpperCase()} ${path} ${res.status}: ${parsed.error.message}`);
  }

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    // As main.ts mounts them.
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
    document = (await request(app).get('/api/openapi.json').expect(200)).body as Json;
    for (const role of ['clerk', 'auditor', 'sysadmin', 'secadmin'] as const) tokens[role] = await tokenFor(app, vault.store, role);
    tokens.issuer = await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode);
  });
  afterAll(() => vault.close());

  test('documents every route the app mounts, and only those', () => {
    const mounted = mountedRoutes(app).map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return `${method} ${openApiPath(path)}`;
    });
    expect(mounted).toEqual(expect.arrayContaining(['POST /api/v1/verifications', 'POST /api/v1/verifications/fields', 'GET /v/{identifier}', 'POST /api/v1/licenses']));
    expect(new Set(mounted).size).toBe(mounted.length);
    expect(documentedOperations(document).sort()).toEqual([...mounted].sort());
  });

  test('a route mounted without a definition is caught by the walk', () => {
    const extra = createApp({
      logger: capturedLogger().logger,
      lifecycle: { shuttingDown: false },
      jsonLimitBytes: 1024,
      health: { pingStore: async () => {}, storeKind: 'test' },
    });
    extra.get('/undocumented', (_req, res) => void res.end());
    expect(mountedRoutes(extra)).toContain('GET /undocumented');
    expect(documentedOperations(document)).not.toContain('GET /undocumented');
  });

  test('every operation has a summary, declares its path parameters and gives a schema for each success and problem body', () => {
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, typeof operation.summary]).toEqual([where, 'string']);
        const parameters = (operation.parameters ?? []) as { name: string; in: string; schema?: unknown }[];
        expect([
          where,
          parameters
            .filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort(),
        ]).toEqual([where, templated]);
        for (const parameter of parameters)
          expect([where, parameter.name, ['path', 'query', 'header'].includes(parameter.in), typeof parameter.schema]).toEqual([where, parameter.name, true, 'object']);
        const responses = operation.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
        // A browser route's success can be a redirect (signing in sends the browser on).
        const successes = Object.keys(responses).filter((status) => /^[23]\d\d$/.test(status));
        expect([where, successes.length > 0]).toEqual([where, true]);
        for (const status of [...successes, '4XX', '5XX']) {
          const content = Object.entries(responses[status]?.content ?? {});
          expect([where, status, content.length > 0]).toEqual([where, status, true]);
          for (const [mediaType, media] of content) expect([where, status, mediaType, typeof media.schema]).toEqual([where, status, mediaType, 'object']);
        }
        expect([where, (operation.security === undefined) === (operation.description as string).startsWith('Roles: anyone')]).toEqual([where, true]);
      }
    }
  });

  test('is OpenAPI 3.1 whose every $ref resolves and whose JSON responses of the API are named components', () => {
    expect(document).toMatchObject({ openapi: '3.1.0', info: { title: expect.any(String), version: '1' }, servers: [{ url: PUBLIC_URL }] });
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => resolve(document, ref) === undefined)).toEqual([]);
    const schemas = (document.components as { schemas: Json }).schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'License',
        'LicensePage',
        'BatchIssueResult',
        'FileVerdict',
        'QrVerdict',
        'FieldCheckResult',
        'Problem',
        'AccessToken',
        'Catalogue',
        'TrustedRoots',
        'AuditPage',
      ]),
    );
    const okSchema = (path: string, method: string, status: string) =>
      ((document.paths as Record<string, Record<string, Json>>)[path]?.[method]?.responses as Record<string, { content: Record<string, { schema: Json }> }>)[status]?.content[
        'application/json'
      ]?.schema;
    expect(okSchema('/api/v1/licenses', 'post', '201')).toEqual({ $ref: '#/components/schemas/License' });
    expect(okSchema('/api/v1/verifications', 'post', '200')).toEqual({ $ref: '#/components/schemas/FileVerdict' });
    expect(okSchema('/v/{identifier}', 'get', '200')).toEqual({ $ref: '#/components/schemas/QrVerdict' });
    expect(okSchema('/api/v1/holders/{holderId}/licenses', 'get', '200')).toEqual({ $ref: '#/components/schemas/LicensePage' });
  });

  test('the limits the document states are the ones the edge and the domain enforce', async () => {
    const lookUp = (document.paths as Record<string, Record<string, { parameters: { name: string; schema: Json; required: boolean }[] }>>)['/api/v1/holders/{holderId}/licenses']!
      .get!;
    expect(lookUp.parameters.find((p) => p.name === 'purpose')).toMatchObject({ required: true, schema: { type: 'string', maxLength: PURPOSE_MAX_LENGTH } });
    expect(lookUp.parameters.find((p) => p.name === 'status')?.schema.enum).toEqual([...LICENSE_STATUSES, 'expired']);
    const issue = (document.paths as Record<string, Record<string, { requestBody: { content: Record<string, { schema: Json }> } }>>)['/api/v1/licenses']!.post!;
    expect(issue.requestBody.content['application/json']!.schema).toMatchObject({
      properties: { holder: { properties: { type: { enum: [...HOLDER_TYPES] }, name: { maxLength: HOLDER_NAME_MAX_LENGTH } } } },
    });

    // Characters are counted alike on both sides: 𠮷 is one character (two UTF-16 units).
    const lookUpWith = (purpose: string) =>
      request(app)
        .get(`/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent(purpose)}`)
        .set(as('clerk'));
    await lookUpWith(`办理${'𠮷'.repeat(PURPOSE_MAX_LENGTH - 2)}`).expect(200);
    expect((await lookUpWith('查'.repeat(PURPOSE_MAX_LENGTH + 1)).expect(400)).body.code).toBe('ERR_QUERY_INVALID');
    const clerk = { clientId: 'clerk-direct', role: 'clerk', department: null } as const;
    const queries = vault.queries;
    await expect(queries.lookUpHolder(clerk, { holderId: '11010519491231002X', purpose: '查'.repeat(PURPOSE_MAX_LENGTH + 1), limit: 1 })).rejects.toMatchObject({
      code: 'ERR_PURPOSE_REQUIRED',
    });

    const issueNamed = (name: string) =>
      request(app)
        .post('/api/v1/licenses')
        .set(as('issuer'))
        .send({ licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name }, fields: teacher.example.fields });
    await issueNamed('李'.repeat(HOLDER_NAME_MAX_LENGTH)).expect(201);
    expect((await issueNamed('李'.repeat(HOLDER_NAME_MAX_LENGTH + 1)).expect(400)).body).toMatchObject({ code: 'ERR_REQUEST_INVALID', details: { field: 'holder.name' } });
    const issuer = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;
    await expect(
      vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李'.repeat(HOLDER_NAME_MAX_LENGTH + 1) },
        fields: teacher.example.fields,
      }),
    ).rejects.toMatchObject({ code: 'ERR_HOLDER_NAME_INVALID' });
  });

  test('live responses of the API parse with the schemas the document was generated from', async () => {
    const body = { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' }, fields: teacher.example.fields };
    const issued = await request(app).post('/api/v1/licenses').set(as('issuer')).send(body).expect(201);
    expectDocumented('post', '/api/v1/licenses', issued);
    const identifier = issued.body.identifier as string;
    const code = new URL(issued.body.links.verify as string).searchParams.get('c') ?? '';

    const batch = await request(app)
      .post('/api/v1/licenses/batch')
      .set(as('issuer'))
      .send({ items: [body, { ...body, holder: { ...body.holder, id: '110105194912310021' } }] })
      .expect(200);
    expect(batch.body).toMatchObject({ issued: 1, failed: 1 });
    expectDocumented('post', '/api/v1/licenses/batch', batch);

    const page = await request(app)
      .get(`/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent('入职核验')}`)
      .set(as('clerk'))
      .expect(200);
    expectDocumented('get', '/api/v1/holders/:holderId/licenses', page);
    expectDocumented(
      'post',
      '/api/v1/licenses/:identifier/suspend',
      await request(app).post(`/api/v1/licenses/${identifier}/suspend`).set(as('issuer')).send({ reason: '核查中' }).expect(200),
    );

    const pdf = (await vault.store.licenseFiles.get(identifier))!.bytes;
    const verdict = await request(app).post('/api/v1/verifications').attach('file', Buffer.from(pdf), 'license.pdf').expect(200);
    expect(verdict.body.result).toBe('suspended');
    expectDocumented('post', '/api/v1/verifications', verdict);
    expectDocumented('get', '/v/:identifier', await request(app).get(`/v/${identifier}?c=${code}`).set('Accept', 'application/json').expect(200));
    expectDocumented('get', '/v/:identifier', await request(app).get(`/v/${identifier}?c=wrong`).set('Accept', 'application/json').expect(404));
    for (const check of [
      { identifier, holderName: '李秀英', holderId: '11010519491231002X' },
      { identifier, holderName: '王五', holderId: '11010519491231002X' },
    ]) {
      expectDocumented('post', '/api/v1/verifications/fields', await request(app).post('/api/v1/verifications/fields').send(check).expect(200));
    }

    expectDocumented('get', '/api/v1/license-types', await request(app).get('/api/v1/license-types').expect(200));
    expectDocumented('get', '/api/v1/trust', await request(app).get('/api/v1/trust').set('Accept', 'application/json').expect(200));
    expectDocumented('get', '/api/v1/audit', await request(app).get('/api/v1/audit').set(as('auditor')).expect(200));
    expectDocumented('get', '/api/v1/audit/verify', await request(app).get('/api/v1/audit/verify').set(as('auditor')).expect(200));
    expectDocumented('post', '/api/v1/audit/checkpoints', await request(app).post('/api/v1/audit/checkpoints').set(as('auditor')).expect(201));
    expectDocumented('get', '/api/v1/admin/departments', await request(app).get('/api/v1/admin/departments').set(as('sysadmin')).expect(200));
    expectDocumented('get', '/api/v1/admin/accounts', await request(app).get('/api/v1/admin/accounts').set(as('secadmin')).expect(200));
    const pendingClerk = await request(app).post('/api/v1/admin/accounts').set(as('sysadmin')).send({ role: 'clerk' }).expect(201);
    expectDocumented('post', '/api/v1/admin/accounts', pendingClerk);
    const approvePath = `/api/v1/admin/accounts/${String(pendingClerk.body.account.clientId)}/approve`;
    expectDocumented('post', '/api/v1/admin/accounts/:clientId/approve', await request(app).post(approvePath).set(as('secadmin')).expect(200));
    expectDocumented('get', '/healthz', await request(app).get('/healthz').expect(200));
    expectDocumented('get', '/readyz', await request(app).get('/readyz').expect(200));

    // Problems, from the parser, a use case and the router alike.
    expectDocumented(
      'post',
      '/api/v1/licenses',
      await request(app)
        .post('/api/v1/licenses')
        .set(as('issuer'))
        .send({ ...body, extra: 1 })
        .expect(400),
    );
    expectDocumented(
      'get',
      '/api/v1/licenses/:identifier',
      await request(app)
        .get(`/api/v1/licenses/1.2.156.3005.2.nothing?purpose=${encodeURIComponent('核对证照信息')}`)
        .set(as('clerk'))
        .expect(404),
    );
    expectDocumented('get', '/nowhere', await request(app).get('/nowhere').expect(404));
  });
});
