import { createHash } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { ecdsaCheckpointSigner } from '../../../src/adapters/pki/checkpoint-signer.js';
import { auditRoutes } from '../../../src/http/routes/audit.js';
import { catalogueRoutes, licenseRoutes } from '../../../src/http/routes/licenses.js';
import type { Role } from '../../../src/modules/auth/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, tokenFor } from '../../support/auth.js';
import { licenseRouteDependencies, openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

describe('licenses over HTTP', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseTemplate;
  const tokens: Partial<Record<Role, string>> = {};
  const as = (role: Role) => ({ Authorization: `Bearer ${tokens[role] ?? ''}` });
  const body = (overrides: Record<string, unknown> = {}) => ({
    licenseType: teacher.catalogue.typeCode,
    holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
    fields: teacher.example.fields,
    ...overrides,
  });

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const deps = licenseRouteDependencies(vault);
    const built = authTestApp(vault.store, {
      routers: [
        catalogueRoutes(vault.templates),
        licenseRoutes(deps),
        auditRoutes({
          audit: vault.store.audit,
          signer: ecdsaCheckpointSigner({ privateKey: vault.pki.department.privateKey, publicKey: vault.pki.department.privateKey, keyId: 'k' }),
          clock: vault.clock,
        }),
      ],
    });
    app = built.app;
    for (const role of ['clerk', 'auditor', 'sysadmin', 'secadmin'] as const) tokens[role] = await tokenFor(app, vault.store, role);
    tokens.issuer = await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode);
  });
  afterAll(() => vault.close());

  test('an issuer issues a license: 201 with links; the issuer downloads the exact signed bytes', async () => {
    const issued = await request(app).post('/api/v1/licenses').set(as('issuer')).send(body()).expect(201);
    expect(issued.body).toMatchObject({
      status: 'active',
      licenseType: { code: teacher.catalogue.typeCode, name: '教师资格证书' },
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      issuer: { creditCode: TEST_DEPARTMENT.creditCode },
    });
    expect(issued.headers.location).toBe(`/api/v1/licenses/${issued.body.identifier}`);
    expect(issued.body.links).toEqual({
      self: `${PUBLIC_URL}/api/v1/licenses/${issued.body.identifier}`,
      pdf: `${PUBLIC_URL}/api/v1/licenses/${issued.body.identifier}/pdf`,
      verify: expect.stringMatching(new RegExp(`^${PUBLIC_URL}/v/${issued.body.identifier.replace(/\./g, '\\.')}\\?c=[A-Za-z0-9_-]{22}$`)),
    });
    const pdf = await request(app)
      .get(`/api/v1/licenses/${issued.body.identifier}/pdf?purpose=${encodeURIComponent('窗口核验')}`)
      .set(as('issuer'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(
      createHash('sha256')
        .update(pdf.body as Buffer)
        .digest('hex'),
    ).toBe(issued.body.sha256);
  });

  test('the same Idempotency-Key replays; a different body with it is 409', async () => {
    const first = await request(app).post('/api/v1/licenses').set(as('issuer')).set('Idempotency-Key', 'http-key-1').send(body()).expect(201);
    const again = await request(app).post('/api/v1/licenses').set(as('issuer')).set('Idempotency-Key', 'http-key-1').send(body()).expect(201);
    expect(again.body.identifier).toBe(first.body.identifier);
    expect(again.headers['idempotency-replayed']).toBe('true');
    const other = await request(app)
      .post('/api/v1/licenses')
      .set(as('issuer'))
      .set('Idempotency-Key', 'http-key-1')
      .send(body({ fields: { ...teacher.example.fields, subject: '化学' } }))
      .expect(409);
    expect(other.body.code).toBe('ERR_IDEMPOTENCY_KEY_REUSED');
  });

  test('50 concurrent issuances over HTTP: 0 duplicate serials', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => request(app).post('/api/v1/licenses').set(as('issuer')).send(body())));
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 201));
    const identifiers = responses.map((r) => r.body.identifier as string);
    expect(new Set(identifiers).size).toBe(50);
  });

  test.each([
    ['an invalid holder number', { holder: { type: 'citizen', id: '110105194912310021', name: '李' } }, 400, 'ERR_CITIZEN_ID_CHECKSUM'],
    ['a holder of the wrong category', { holder: { type: 'organization', id: '91350100M000100Y43', name: '某公司' } }, 400, 'ERR_HOLDER_TYPE_MISMATCH'],
    ['an operator instead of a holder number', { holder: { type: 'citizen', id: { $ne: null }, name: '李' } }, 400, 'ERR_REQUEST_INVALID'],
    ['an operator in a face field', { fields: { ...{ sex: '女' }, subject: { $gt: '' } } }, 400, 'ERR_REQUEST_INVALID'],
    ['a $where in the license type', { licenseType: { $where: 'sleep(1000)' } }, 400, 'ERR_REQUEST_INVALID'],
    ['a $regex as the holder name', { holder: { type: 'citizen', id: '11010519491231002X', name: { $regex: '.*' } } }, 400, 'ERR_REQUEST_INVALID'],
    ['an array where a string belongs', { holder: { type: 'citizen', id: ['11010519491231002X'], name: '李' } }, 400, 'ERR_REQUEST_INVALID'],
    ['an unknown top-level member', { $set: { status: 'revoked' } }, 400, 'ERR_REQUEST_INVALID'],
  ])('%s → %d %s, nothing stored', async (_name, overrides, status, code) => {
    const before = await vault.store.licenses.count();
    const res = await request(app).post('/api/v1/licenses').set(as('issuer')).send(body(overrides)).expect(status);
    expect(res.body.code).toBe(code);
    await expect(vault.store.licenses.count()).resolves.toBe(before);
  });

  test.each(['__proto__', 'constructor', 'prototype'])('a %s key anywhere in the body is refused before any schema sees it', async (key) => {
    const fields = JSON.stringify(teacher.example.fields).replace(/^\{/, `{"${key}": {"polluted": "yes"}, `);
    const res = await request(app)
      .post('/api/v1/licenses')
      .set(as('issuer'))
      .set('Content-Type', 'application/json')
      .send(`{"licenseType": "${teacher.catalogue.typeCode}", "holder": {"type": "citizen", "id": "11010519491231002X", "name": "李秀英"}, "fields": ${fields}}`)
      .expect(400);
    expect(res.body.code).toBe('ERR_REQUEST_MALFORMED_JSON');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a batch issues the valid items and reports each invalid one', async () => {
    const res = await request(app)
      .post('/api/v1/licenses/batch')
      .set(as('issuer'))
      .send({ items: [body(), body({ holder: { type: 'citizen', id: 'bad', name: '李' } }), body()] })
      .expect(200);
    expect(res.body).toMatchObject({ issued: 2, failed: 1 });
    expect(res.body.results[1]).toMatchObject({ index: 1, ok: false, error: { code: 'ERR_CITIZEN_ID_CHARSET', status: 400 } });
    await request(app)
      .post('/api/v1/licenses/batch')
      .set(as('issuer'))
      .send({ items: Array.from({ length: 501 }, () => body()) })
      .expect(400);
  });

  test('a clerk looks a holder up with a purpose; the look-up is audited; issuers see their own only', async () => {
    const res = await request(app)
      .get(`/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent('办理入职审核')}&limit=5`)
      .set(as('clerk'))
      .expect(200);
    expect(res.body.items).toHaveLength(5);
    expect(typeof res.body.nextCursor).toBe('string');
    const next = await request(app)
      .get(`/api/v1/holders/11010519491231002X/licenses?purpose=${encodeURIComponent('办理入职审核')}&limit=5&cursor=${encodeURIComponent(res.body.nextCursor as string)}`)
      .set(as('clerk'))
      .expect(200);
    expect(next.body.items[0].identifier).not.toBe(res.body.items[0].identifier);
    await request(app).get('/api/v1/holders/11010519491231002X/licenses').set(as('clerk')).expect(400);
    const empty = await request(app).get('/api/v1/holders/11010519491231002X/licenses?purpose=%20').set(as('clerk')).expect(400);
    expect(empty.body.code).toBe('ERR_PURPOSE_REQUIRED');
    const operator = await request(app).get('/api/v1/holders/11010519491231002X/licenses?purpose[$ne]=x').set(as('clerk')).expect(400);
    expect(operator.body.code).toBe('ERR_QUERY_INVALID');
    const audit = await request(app).get('/api/v1/audit?after=0&limit=1000').set(as('auditor')).expect(200);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'holder.query').length).toBeGreaterThanOrEqual(2);
    await request(app)
      .get('/api/v1/audit/verify')
      .set(as('auditor'))
      // The auditor's read of the page is an entry too, after the page.
      .expect(200, { ok: true, entries: audit.body.items.length + 1, lastSeq: audit.body.items.at(-1).seq + 1, problem: null });
  });

  test('lifecycle over HTTP: suspend, illegal reinstate twice, revoke, reissue', async () => {
    const { body: license } = await request(app).post('/api/v1/licenses').set(as('issuer')).send(body()).expect(201);
    const base = `/api/v1/licenses/${license.identifier}`;
    await request(app).post(`${base}/suspend`).set(as('issuer')).send({ reason: '核查中' }).expect(200);
    await request(app).post(`${base}/reinstate`).set(as('issuer')).send({}).expect(200);
    const illegal = await request(app).post(`${base}/reinstate`).set(as('issuer')).send({}).expect(409);
    expect(illegal.body).toMatchObject({ code: 'ERR_LICENSE_TRANSITION', details: { from: 'active' } });
    const renewed = await request(app)
      .post(`${base}/reissue`)
      .set(as('issuer'))
      .send({ fields: { ...teacher.example.fields, subject: '历史' } })
      .expect(201);
    expect(renewed.body).toMatchObject({ version: 2, supersedes: license.identifier });
    const old = await request(app)
      .get(`${base}?purpose=${encodeURIComponent('核对换发情况')}`)
      .set(as('clerk'))
      .expect(200);
    expect(old.body).toMatchObject({ status: 'superseded', supersededBy: renewed.body.identifier });
    await request(app).post(`/api/v1/licenses/${renewed.body.identifier}/revoke`).set(as('issuer')).send({ reason: '以欺骗手段取得' }).expect(200);
    await request(app).post(`/api/v1/licenses/${renewed.body.identifier}/reinstate`).set(as('issuer')).send({}).expect(409);
  });

  test('every role × every action', async () => {
    const { body: license } = await request(app).post('/api/v1/licenses').set(as('issuer')).send(body()).expect(201);
    const purpose = encodeURIComponent('权限核验');
    const actions: Record<string, (role: Role) => request.Test> = {
      issue: (role) => request(app).post('/api/v1/licenses').set(as(role)).send(body()),
      'look up': (role) => request(app).get(`/api/v1/holders/11010519491231002X/licenses?purpose=${purpose}`).set(as(role)),
      read: (role) => request(app).get(`/api/v1/licenses/${license.identifier}?purpose=${purpose}`).set(as(role)),
      download: (role) => request(app).get(`/api/v1/licenses/${license.identifier}/pdf?purpose=${purpose}`).set(as(role)),
      'annotated copy': (role) => request(app).post(`/api/v1/licenses/${license.identifier}/copies`).set(as(role)).send({ serviceItem: '权限核验事项', purpose: '权限核验' }),
      revoke: (role) => request(app).post(`/api/v1/licenses/${license.identifier}/suspend`).set(as(role)).send({ reason: '权限测试' }),
      'read audit': (role) => request(app).get('/api/v1/audit').set(as(role)),
      administer: (role) => request(app).get('/api/v1/admin/accounts').set(as(role)),
    };
    const allowed: Record<string, readonly Role[]> = {
      issue: ['issuer'],
      'look up': ['clerk', 'issuer'],
      read: ['clerk', 'issuer'],
      download: ['issuer'],
      'annotated copy': ['clerk', 'issuer'],
      revoke: ['issuer'],
      'read audit': ['auditor'],
      administer: ['sysadmin', 'secadmin'],
    };
    const outcome: string[] = [];
    const expected: string[] = [];
    for (const [action, send] of Object.entries(actions)) {
      for (const role of ['issuer', 'clerk', 'sysadmin', 'secadmin', 'auditor'] as const) {
        const res = await send(role);
        outcome.push(`${action}/${role}: ${res.status < 300 ? 'allowed' : res.status}`);
        expected.push(`${action}/${role}: ${allowed[action]?.includes(role) ? 'allowed' : 403}`);
      }
      const anonymous = await send('clerk').set('Authorization', '');
      expect(anonymous.status).toBe(401);
    }
    expect(outcome).toEqual(expected);
  });

  test('holder look-ups are limited per account: 429 with Retry-After, other accounts unaffected', async () => {
    const clerk2 = await tokenFor(app, vault.store, 'clerk');
    const lookUp = (token: string) =>
      request(app)
        .get(`/api/v1/holders/91350100M000100Y43/licenses?purpose=${encodeURIComponent('限流测试')}`)
        .set('Authorization', `Bearer ${token}`);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await lookUp(clerk2)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const limited = await lookUp(clerk2).expect(429);
    expect(limited.body.code).toBe('ERR_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await lookUp(tokens.clerk ?? '').expect(200);
  });

  test('an auditor exports a signed checkpoint and verifies the chain against it over HTTP', async () => {
    const checkpoint = await request(app).post('/api/v1/audit/checkpoints').set(as('auditor')).expect(201);
    expect(checkpoint.body).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String) });
    const verified = await request(app).post('/api/v1/audit/verify').set(as('auditor')).send({ checkpoint: checkpoint.body }).expect(200);
    expect(verified.body).toMatchObject({ ok: true, problem: null });
    const forged = await request(app)
      .post('/api/v1/audit/verify')
      .set(as('auditor'))
      .send({ checkpoint: { ...checkpoint.body, seq: 1 } })
      .expect(200);
    expect(forged.body).toMatchObject({ ok: false, problem: { reason: 'checkpoint-signature' } });
    await request(app).post('/api/v1/audit/checkpoints').set(as('clerk')).expect(403);
  });

  test('the catalogue lists every type with its field schema and an example that issues as it stands', async () => {
    const res = await request(app).get('/api/v1/license-types').set(as('clerk')).expect(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(4);
    expect(res.body.items.find((t: { code: string }) => t.code === teacher.catalogue.typeCode)).toMatchObject({
      name: '教师资格证书',
      holderType: 'citizen',
      fields: teacher.fields,
      example: { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen' }, fields: teacher.example.fields },
    });
    const example = res.body.items.find((t: { code: string }) => t.code === teacher.catalogue.typeCode).example;
    const issued = await request(app).post('/api/v1/licenses').set(as('issuer')).send(example).expect(201);
    expect(issued.body).toMatchObject({ licenseType: { code: teacher.catalogue.typeCode }, holder: { type: 'citizen', name: example.holder.name } });
  });
});
