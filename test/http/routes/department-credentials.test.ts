import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { pkiPaths } from '../../../src/adapters/pki/pki-directory.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import { catalogueRoutes, licenseRoutes } from '../../../src/http/routes/licenses.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, bearer, tokenFor } from '../../support/auth.js';
import { discPng, isBlue, rasterize, SEAL_BLUE, shareOfPixels } from '../../support/rendering.js';
import { addDepartmentKeyStore, licenseRouteDependencies, openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const DEPARTMENT = `/api/v1/admin/departments/${TEST_DEPARTMENT.creditCode}`;

describe('signingKey and sealImage set through the admin API decide the next license', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseTemplate;
  let admin: string;
  let issuer: string;

  const patch = (body: object) => request(app).patch(DEPARTMENT).set('Authorization', bearer(admin)).send(body);
  const issue = () =>
    request(app)
      .post('/api/v1/licenses')
      .set('Authorization', bearer(issuer))
      .send({ licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' }, fields: teacher.example.fields });
  const stored = async (identifier: string) => ({
    record: (await vault.store.licenses.findByIdentifier(identifier))!,
    file: (await vault.store.licenseFiles.get(identifier))!.bytes,
  });

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const deps = licenseRouteDependencies(vault);
    ({ app } = authTestApp(vault.store, { sealImages: vault.issuanceDeps.sealImages, routers: [catalogueRoutes(vault.templates), licenseRoutes(deps)] }));
    admin = await tokenFor(app, vault.store, 'sysadmin');
    issuer = await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode);
  });
  afterAll(() => vault.close());

  test('PATCH signingKey: the next license is signed with that key store; one that does not exist is 503 and stores nothing', async () => {
    const rotated = addDepartmentKeyStore(vault, 'fz-2027');
    const first = await issue().expect(201);
    expect((await stored(first.body.identifier)).record.certificateFingerprint).toBe(summarizeCertificate(vault.pki.department.certificateDer).fingerprint256);

    expect((await patch({ signingKey: 'fz-2027' }).expect(200)).body).toMatchObject({ signingKey: 'fz-2027' });
    const second = await issue().expect(201);
    expect((await stored(second.body.identifier)).record.certificateFingerprint).toBe(rotated);

    await patch({ signingKey: 'not-made-yet' }).expect(200);
    const count = await vault.store.licenses.count();
    const refused = await issue().expect(503);
    expect(refused.body).toMatchObject({ code: 'ERR_SIGNER_KEY_MISSING' });
    await patch({ signingKey: null }).expect(200);
    expect((await issue().expect(503)).body).toMatchObject({ code: 'ERR_DEPARTMENT_CANNOT_ISSUE' });
    await expect(vault.store.licenses.count()).resolves.toBe(count);
    await patch({ signingKey: TEST_DEPARTMENT.creditCode }).expect(200);
  });

  test('PATCH sealImage: refused with ERR_DEPARTMENT_INVALID unless the seals folder holds a usable PNG; once set, it is the seal on the page', async () => {
    const seals = pkiPaths(vault.certsDir).sealsDir;
    mkdirSync(seals, { recursive: true });
    writeFileSync(join(seals, 'broken.png'), 'not a PNG at all, only text in a file with a PNG name');
    for (const sealImage of ['absent.png', 'broken.png']) {
      const res = await patch({ sealImage }).expect(400);
      expect(res.body).toMatchObject({ code: 'ERR_DEPARTMENT_INVALID', details: { field: 'sealImage', reason: 'ERR_SEAL_IMAGE_UNUSABLE' } });
    }
    expect((await vault.store.departments.get(TEST_DEPARTMENT.creditCode))!.sealImage).toBeNull();

    writeFileSync(join(seals, 'fz.png'), discPng(200, 200, SEAL_BLUE));
    expect((await patch({ sealImage: 'fz.png' }).expect(200)).body).toMatchObject({ sealImage: 'fz.png' });
    const issued = await issue().expect(201);
    const { x, y, radius } = teacher.layout.seal;
    const page = rasterize((await stored(issued.body.identifier)).file, 72);
    expect(shareOfPixels(page, 841.89, { x: x - radius * 0.6, y: y - radius * 0.6, width: radius * 1.2, height: radius * 1.2 }, isBlue)).toBeGreaterThan(0.95);

    await patch({ sealImage: null }).expect(200);
  });
});
