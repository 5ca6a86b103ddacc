import type { Express } from 'express';
import request from 'supertest';
import { counterText } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { tokenFor } from '../../support/auth.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Binary bodies as a Buffer (supertest leaves image/png unparsed otherwise). */
function bytes(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('POST /api/v1/licenses/preview: the face before issuing, marked 样张, nothing stored', () => {
  let vault: VaultHarness;
  let app: Express;
  let issuer: string;
  let clerk: string;
  let teacher: LicenseTemplate;
  let body: Record<string, unknown>;

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
    issuer = `Bearer ${await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode)}`;
    clerk = `Bearer ${await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode)}`;
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    body = { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' }, fields: teacher.example.fields };
  });
  afterAll(() => vault.close());

  test('an issuer gets a PNG of the face; no serial is consumed, nothing is stored or audited', async () => {
    const auditBefore = (await vault.store.audit.last())?.seq;
    const res = await request(app).post('/api/v1/licenses/preview').set('Authorization', issuer).send(body).buffer(true).parse(bytes).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('no-store');
    const png = res.body as Buffer;
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // IHDR: an A4 portrait page drawn at twice its size in points.
    expect(png.readUInt32BE(16)).toBeGreaterThan(1000);
    expect(png.readUInt32BE(20)).toBeGreaterThan(png.readUInt32BE(16));
    expect((await vault.store.audit.last())?.seq).toBe(auditBefore);

    const issued = await request(app).post('/api/v1/licenses').set('Authorization', issuer).send(body).expect(201);
    expect(issued.body.identifier).toContain(`.${counterText(1)}.001.`);
  });

  test('a clerk is refused with 403', async () => {
    const res = await request(app).post('/api/v1/licenses/preview').set('Authorization', clerk).send(body).expect(403);
    expect(res.body.code).toBe('ERR_FORBIDDEN');
  });

  test.each([
    ['a bad ID number checksum', (b: Record<string, unknown>) => ({ ...b, holder: { type: 'citizen', id: '110105194912310021', name: '李秀英' } })],
    ['a missing required field', (b: Record<string, unknown>) => ({ ...b, fields: { ...teacher.example.fields, subject: '' } })],
    ['a value not in the enum', (b: Record<string, unknown>) => ({ ...b, fields: { ...teacher.example.fields, sex: '未知' } })],
    ['a holder of the wrong kind', (b: Record<string, unknown>) => ({ ...b, holder: { type: 'organization', id: '91350100M000100Y43', name: '某公司' } })],
    ['an unknown license type', (b: Record<string, unknown>) => ({ ...b, licenseType: '11100000000013338W999' })],
    ['a name with markup', (b: Record<string, unknown>) => ({ ...b, holder: { type: 'citizen', id: '11010519491231002X', name: '<b>李</b>' } })],
  ])('%s is refused with the same status and code as issuing, and nothing is issued', async (_name, broken) => {
    const auditBefore = (await vault.store.audit.last())?.seq ?? 0;
    const previewed = await request(app).post('/api/v1/licenses/preview').set('Authorization', issuer).send(broken(body));
    const issued = await request(app).post('/api/v1/licenses').set('Authorization', issuer).send(broken(body));
    expect(previewed.status).toBeGreaterThanOrEqual(400);
    expect(previewed.status).toBeLessThan(500);
    expect({ status: previewed.status, code: previewed.body.code }).toEqual({ status: issued.status, code: issued.body.code });
    // A type the department may not issue is a refusal worth recording (for both); nothing else is written.
    const written = await vault.store.audit.list(auditBefore, 10);
    expect(written.filter((entry) => entry.action !== 'auth.forbidden').map((entry) => entry.action)).toEqual([]);
  });
});
