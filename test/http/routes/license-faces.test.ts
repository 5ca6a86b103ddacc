import type { Express } from 'express';
import request from 'supertest';
import { redemptionRoutes } from '../../../src/http/routes/authorization-redemption.js';
import { licenseRoutes } from '../../../src/http/routes/licenses.js';
import { LicenseQueries, type LicenseRecord } from '../../../src/modules/licenses/index.js';
import { FaceImages, StaffLicenseFaces } from '../../../src/modules/usage/index.js';
import { PdfiumFaceRenderer } from '../../../src/adapters/pdfium/pdfium-face-renderer.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, bearer, tokenFor } from '../../support/auth.js';
import { actingHolder, addOtherOffice, CITIZEN, harnessAuthorizations, issueTo, OTHER_OFFICE } from '../../support/authorizations.js';
import { licenseRouteDependencies, openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const purpose = encodeURIComponent('办理入学登记');
const serviceItem = encodeURIComponent('义务教育入学登记');
const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const renderer = new PdfiumFaceRenderer();

describe('GET /api/v1/licenses/{identifier}/face: the face the clerk’s desk shows', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseRecord;
  let clerk: string;

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = await issueTo(vault, 'teacher-qualification');
    app = authTestApp(vault.store, { routers: [licenseRoutes(licenseRouteDependencies(vault, { lookupsPerMinute: 1000, faces: new FaceImages(renderer) }))] }).app;
    clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
  });
  afterAll(() => vault.close());

  test('a clerk gets the PNG, not cached anywhere, and the read is audited with its purpose and service item; the holder’s number is nowhere in the answer', async () => {
    const res = await request(app)
      .get(`/api/v1/licenses/${teacher.identifier}/face?purpose=${purpose}&serviceItem=${serviceItem}`)
      .set('Authorization', bearer(clerk))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body as Buffer;
    expect(body.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(body.length).toBeGreaterThan(10_000);
    expect(body.includes(CITIZEN)).toBe(false);
    expect(JSON.stringify(res.headers)).not.toContain(CITIZEN);
    await expect(vault.store.audit.last()).resolves.toMatchObject({
      action: 'license.read',
      target: teacher.identifier,
      details: { purpose: '办理入学登记', serviceItem: '义务教育入学登记' },
    });
  });

  test('without a meaningful purpose it is 400 and nothing is read or audited', async () => {
    const before = (await vault.store.audit.last())?.seq;
    const res = await request(app).get(`/api/v1/licenses/${teacher.identifier}/face?purpose=x`).set('Authorization', bearer(clerk)).expect(400);
    expect(res.body.code).toBe('ERR_PURPOSE_REQUIRED');
    expect((await vault.store.audit.last())?.seq).toBe(before);
  });

  test('an unknown license is 404; an issuer of another department sees the same 404', async () => {
    expect((await request(app).get(`/api/v1/licenses/1.2.156.3005.2.nothing/face?purpose=${purpose}`).set('Authorization', bearer(clerk)).expect(404)).body.code).toBe(
      'ERR_LICENSE_NOT_FOUND',
    );
    await addOtherOffice(vault);
    const stranger = await tokenFor(app, vault.store, 'issuer', OTHER_OFFICE.creditCode);
    expect((await request(app).get(`/api/v1/licenses/${teacher.identifier}/face?purpose=${purpose}`).set('Authorization', bearer(stranger)).expect(404)).body.code).toBe(
      'ERR_LICENSE_NOT_FOUND',
    );
  });
});

describe('the face under VAULT_LOOKUP_POLICY=consent', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseRecord;
  let clerk: string;

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = await issueTo(vault, 'teacher-qualification');
    const services = harnessAuthorizations(vault, 'consent');
    const queries = new LicenseQueries(vault.store, vault.clock, vault.fingerprinter, undefined, services.consent);
    const faces = new StaffLicenseFaces({ queries, files: vault.store.licenseFiles, faces: new FaceImages(renderer) });
    app = authTestApp(vault.store, {
      clock: vault.clock,
      routers: [
        licenseRoutes({ ...licenseRouteDependencies(vault, { lookupsPerMinute: 1000 }), queries, faces }),
        redemptionRoutes({ redemption: services.redemption, templates: vault.templates, clock: vault.clock, publicUrl: PUBLIC_URL, lookupsPerMinute: 1000 }),
      ],
    }).app;
    clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
  });
  afterAll(() => vault.close());

  test('without a redemption it is 403 ERR_LOOKUP_NEEDS_CONSENT; after the clerk redeems the holder’s code, the PNG', async () => {
    const face = () => request(app).get(`/api/v1/licenses/${teacher.identifier}/face?purpose=${purpose}`).set('Authorization', bearer(clerk));
    expect((await face().expect(403)).body.code).toBe('ERR_LOOKUP_NEEDS_CONSENT');
    const { code } = await harnessAuthorizations(vault, 'consent').holders.create(actingHolder(), {
      licenses: [teacher.identifier],
      office: TEST_DEPARTMENT.creditCode,
      serviceItem: '义务教育入学登记',
      purpose: '办理入学登记',
    });
    await request(app).post('/api/v1/authorizations/redeem').set('Authorization', bearer(clerk)).send({ code }).expect(200);
    const res = await face().buffer(true).parse(binary).expect(200);
    expect((res.body as Buffer).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});
