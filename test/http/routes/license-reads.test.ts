import request from 'supertest';
import type { Express } from 'express';
import { licenseRoutes } from '../../../src/http/routes/licenses.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, tokenFor } from '../../support/auth.js';
import { licenseRouteDependencies, openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

/** Issue 15, item 5: reading one license or downloading its PDF needed no purpose and had no limit (300 PDFs in under a second). */
describe('every read of a license states a meaningful purpose and counts in the per-account limit', () => {
  const PER_MINUTE = 120;
  let vault: VaultHarness;
  let app: Express;
  let license: LicenseRecord;
  /** Separate accounts of the issuing department (the one role that downloads originals), so that one test's reads do not count in another's window. */
  const readers: string[] = [];
  const purpose = encodeURIComponent('办理入学登记');

  beforeAll(async () => {
    vault = await openVaultHarness();
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    app = authTestApp(vault.store, { routers: [licenseRoutes(licenseRouteDependencies(vault, { lookupsPerMinute: PER_MINUTE }))] }).app;
    const issuer = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;
    license = (
      await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      })
    ).license;
    for (let i = 0; i < 3; i += 1) readers.push(`Bearer ${await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode)}`);
  });
  afterAll(() => vault.close());

  test.each([
    ['a read without a purpose', (id: string) => `/api/v1/licenses/${id}`, 'ERR_QUERY_INVALID'],
    ['a download without a purpose', (id: string) => `/api/v1/licenses/${id}/pdf`, 'ERR_QUERY_INVALID'],
    ["a read for 'x'", (id: string) => `/api/v1/licenses/${id}?purpose=x`, 'ERR_PURPOSE_REQUIRED'],
    ["a download for '...'", (id: string) => `/api/v1/licenses/${id}/pdf?purpose=...`, 'ERR_PURPOSE_REQUIRED'],
    ["a read for '1234'", (id: string) => `/api/v1/licenses/${id}?purpose=1234`, 'ERR_PURPOSE_REQUIRED'],
    ["a download for 'aaaa'", (id: string) => `/api/v1/licenses/${id}/pdf?purpose=aaaa`, 'ERR_PURPOSE_REQUIRED'],
  ])('%s answers 400 and is not audited', async (_name, path, code) => {
    const before = (await vault.store.audit.last())?.seq;
    const res = await request(app).get(path(license.identifier)).set('Authorization', readers[0]!).expect(400);
    expect(res.body.code).toBe(code);
    expect((await vault.store.audit.last())?.seq).toBe(before);
  });

  test('a read and a download with a purpose are audited with it', async () => {
    const authorization = readers[0]!;
    await request(app).get(`/api/v1/licenses/${license.identifier}?purpose=${purpose}`).set('Authorization', authorization).expect(200);
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'license.read', target: license.identifier, details: { purpose: '办理入学登记' } });
    await request(app).get(`/api/v1/licenses/${license.identifier}/pdf?purpose=${purpose}`).set('Authorization', authorization).expect(200);
    await expect(vault.store.audit.last()).resolves.toMatchObject({ action: 'license.download', target: license.identifier, details: { purpose: '办理入学登记' } });
  });

  test(`reads, downloads and look-ups share one window per account: the ${PER_MINUTE + 1}st in a minute is 429, another account is not held up`, async () => {
    const authorization = readers[1]!;
    const paths = [
      `/api/v1/licenses/${license.identifier}?purpose=${purpose}`,
      `/api/v1/licenses/${license.identifier}/pdf?purpose=${purpose}`,
      `/api/v1/holders/11010519491231002X/licenses?purpose=${purpose}`,
    ];
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE; i += 1)
      statuses.push(
        (
          await request(app)
            .get(paths[i % paths.length]!)
            .set('Authorization', authorization)
        ).status,
      );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    for (const path of paths) {
      const limited = await request(app).get(path).set('Authorization', authorization).expect(429);
      expect(limited.body.code).toBe('ERR_RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    await request(app).get(paths[1]!).set('Authorization', readers[2]!).expect(200);
  });
});
