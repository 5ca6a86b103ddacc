import request from 'supertest';
import type { Express } from 'express';
import { LicenseLifecycle } from '../../../src/modules/licenses/lifecycle.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';
import { ISSUER, issueTeacherLicense, verificationApp } from './verification-app.js';

/** Another citizen's valid number (GB 11643 check character correct). */
const STRANGER_ID = '440524188001010014';

describe('issue 15: anonymous verification is no oracle', () => {
  let vault: VaultHarness;
  let app: Express;
  let license: LicenseRecord;
  let pdf: Uint8Array;
  const fields = (body: object, to: Express = app) => request(to).post('/api/v1/verifications/fields').send(body);

  beforeAll(async () => {
    vault = await openVaultHarness();
    app = verificationApp(vault);
    ({ license, pdf } = await issueTeacherLicense(vault));
    await issueTeacherLicense(vault, { id: STRANGER_ID, name: '王五' });
    await issueTeacherLicense(vault);
  });
  afterAll(() => vault.close());

  test('a wrong name, a wrong ID number, both, and a license that does not exist all get the same bytes', async () => {
    const answers = await Promise.all(
      [
        { identifier: license.identifier, holderName: '王五', holderId: '11010519491231002X' },
        { identifier: license.identifier, holderName: '李秀英', holderId: STRANGER_ID },
        { identifier: license.identifier, holderName: '王五', holderId: STRANGER_ID },
        { licenseNumber: license.licenseNumber, holderName: '李秀英', holderId: STRANGER_ID },
        { licenseNumber: license.licenseNumber, holderName: '王五', holderId: '11010519491231002X' },
        { licenseNumber: `${license.licenseNumber}9`, holderName: '李秀英', holderId: '11010519491231002X' },
        { identifier: `${license.identifier.slice(0, -1)}0`, holderName: '李秀英', holderId: '11010519491231002X' },
      ].map((body) => fields(body).expect(200)),
    );
    expect(new Set(answers.map((res) => res.text))).toEqual(new Set(['{"result":"inconsistent"}']));
    // A full match still says so, with the masked summary.
    const match = await fields({ licenseNumber: license.licenseNumber, holderName: '李秀英', holderId: '11010519491231002X' }).expect(200);
    expect(match.body).toMatchObject({ result: 'consistent', license: { identifier: license.identifier, holderId: '110105********002X' } });
  });

  test('walking license numbers 1..N with a wrong holder, or with a name and a guessed number, teaches nothing', async () => {
    const prefix = license.licenseNumber.slice(0, -3);
    const walk = (holderName: string, holderId: string) =>
      Promise.all(Array.from({ length: 12 }, (_, i) => fields({ licenseNumber: `${prefix}${String(i + 1).padStart(3, '0')}`, holderName, holderId }).expect(200)));
    for (const answers of [await walk('赵六', '11010519491231002X'), await walk('李秀英', STRANGER_ID), await walk('王五', '11010519491231002X')]) {
      expect(new Set(answers.map((res) => res.text))).toEqual(new Set(['{"result":"inconsistent"}']));
    }
  });

  test('field checks have a budget of their own per client: the N+1-th is 429 while uploads from the same client still go through', async () => {
    const limited = verificationApp(vault, { limits: { perMinute: 3, fieldChecksPerMinute: 4 } });
    const check = () => fields({ licenseNumber: license.licenseNumber, holderName: '王五', holderId: STRANGER_ID }, limited);
    for (let i = 0; i < 4; i += 1) await check().expect(200);
    const refused = await check().expect(429);
    expect(refused.body.code).toBe('ERR_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Four field checks spent none of the three uploads.
    for (let i = 0; i < 3; i += 1) {
      const upload = await request(limited).post('/api/v1/verifications').attach('file', Buffer.from(pdf), 'license.pdf').expect(200);
      expect(upload.body.result).toBe('authentic');
    }
  });

  test('a day cap stops slow, steady guessing once the minutes are spent', async () => {
    const limited = verificationApp(vault, { limits: { fieldChecksPerMinute: 2, fieldChecksPerDay: 3 } });
    const check = () => fields({ licenseNumber: license.licenseNumber, holderName: '王五', holderId: STRANGER_ID }, limited);
    const start = vault.clock.now().getTime();
    await check().expect(200);
    await check().expect(200);
    await check().expect(429);
    vault.clock.set(new Date(start + 61_000).toISOString());
    await check().expect(200);
    await check().expect(429);
    vault.clock.set(new Date(start + 3 * 61_000).toISOString());
    const refused = await check().expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3600);
    vault.clock.set(new Date(start + 86_400_000 + 1000).toISOString());
    await check().expect(200);
  });

  test("a suspended license's reason (naming a person, holding an ID number) reaches neither the upload verdict nor the QR verdict: status and date only", async () => {
    const { license: suspended, pdf: bytes } = await issueTeacherLicense(vault);
    const reason = `经张三实名举报（身份证号${STRANGER_ID}），暂停待查`;
    // 18:00 UTC is already the next day in China.
    vault.clock.set('2026-11-23T18:00:00Z');
    await new LicenseLifecycle(vault.store, vault.clock).change(ISSUER, suspended.identifier, 'suspend', reason);
    const leaks = (text: string) => ['张三', STRANGER_ID, '4405241880', '举报', '暂停待查'].filter((secret) => text.includes(secret));

    const upload = await request(app).post('/api/v1/verifications').attach('file', Buffer.from(bytes), 'license.pdf').expect(200);
    expect(upload.body).toMatchObject({ result: 'suspended', valid: false });
    expect(upload.body.checks).toContainEqual({ name: 'status', ok: false, detail: 'the license is suspended (since 2026-11-24)' });
    expect(leaks(upload.text)).toEqual([]);

    const link = `/v/${suspended.identifier}?c=${suspended.verificationCode}`;
    const json = await request(app).get(link).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ result: 'suspended', license: { status: 'suspended' } });
    expect(leaks(json.text)).toEqual([]);
    const page = await request(app).get(link).expect(200);
    expect(page.text).toContain('已暂停');
    expect(leaks(page.text)).toEqual([]);
  });
});
