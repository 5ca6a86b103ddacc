import type { Express } from 'express';
import request from 'supertest';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { actingHolder, CITIZEN, harnessAuthorizations, issueTo } from '../../support/authorizations.js';
import { holderSession } from '../../support/holder-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

/** The usage record as the other parts of issue 16 write to the audit log: an authorization made, redeemed by a clerk, withdrawn. */
describe('the usage record of an authorization', () => {
  let vault: VaultHarness;
  let app: Express;

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024 });
  });
  afterAll(() => vault.close());

  test('made, redeemed over HTTP by a clerk of the office, then withdrawn: three entries, newest first, with the office, the clerk masked, the terms and the license', async () => {
    const teacher = await issueTo(vault, 'teacher-qualification');
    const authorizations = harnessAuthorizations(vault);
    const holder = actingHolder();
    const made = await authorizations.holders.create(holder, {
      licenses: [teacher.identifier],
      office: TEST_DEPARTMENT.creditCode,
      serviceItem: '义务教育入学登记',
      purpose: '办理入学登记',
      uses: 2,
    });
    const clerk = await tokenFor(app, vault.store, 'clerk', TEST_DEPARTMENT.creditCode);
    await request(app).post('/api/v1/authorizations/redeem').set('Authorization', bearer(clerk)).send({ code: made.code }).expect(200);
    await authorizations.holders.withdraw(holder, made.authorization.id);
    const { cookie } = await holderSession(vault, CITIZEN);
    const res = await request(app).get('/api/v1/me/usage').set('Cookie', cookie).expect(200);
    const office = { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name };
    const license = { identifier: teacher.identifier, typeName: '教师资格证书' };
    expect(
      res.body.items.map((item: Record<string, unknown>) => [item['kind'], item['department'], item['clerk'], item['serviceItem'], item['purpose'], item['licenses']]),
    ).toEqual([
      ['authorization-withdrawn', office, null, '义务教育入学登记', '办理入学登记', expect.any(Array)],
      ['redemption', office, expect.stringMatching(/^[^*]{2,3}\*\*\*/), '义务教育入学登记', '办理入学登记', [license]],
      ['authorization-made', office, null, '义务教育入学登记', '办理入学登记', [license]],
    ]);
    expect(JSON.stringify(res.body)).not.toContain(CITIZEN);
  });
});
