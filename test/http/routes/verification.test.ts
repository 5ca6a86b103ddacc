import request from 'supertest';
import type { Express } from 'express';
import { CadesSignedDataBuilder } from '../../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../../src/adapters/pki/p12/index.js';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import { createApp } from '../../../src/http/app.js';
import { verificationRoutes } from '../../../src/http/routes/verification.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import { LicenseLifecycle } from '../../../src/modules/licenses/lifecycle.js';
import { PadesSigner } from '../../../src/modules/signing/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { LicenseVerification } from '../../../src/modules/verification/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { makeOnePagePdf, makePreparedPdf } from '../../fixtures/pdfs.js';
import { capturedLogger } from '../../support/log-capture.js';
import { solidPng } from '../../support/rendering.js';
import { flipByte, offsetInFirstStream } from '../../support/tamper.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';
import { GENEROUS } from './verification-app.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

describe('verification for anyone', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseTemplate;
  let license: LicenseRecord;
  let pdf: Uint8Array;
  const upload = (bytes: Uint8Array, name = 'license.pdf') => request(app).post('/api/v1/verifications').attach('file', Buffer.from(bytes), name);
  const issue = async () => {
    const { license: issued } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    return { issued, bytes: (await vault.store.licenseFiles.get(issued.identifier))!.bytes };
  };

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const verifier = new StrictPdfSignatureVerifier({
      trustedRoots: () => [{ der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) }],
      clock: vault.clock,
    });
    app = createApp({
      logger: capturedLogger().logger,
      lifecycle: { shuttingDown: false },
      jsonLimitBytes: 1024,
      health: { pingStore: () => vault.store.ping(), storeKind: 'sqlite' },
      routers: [
        verificationRoutes(new LicenseVerification(vault.store, verifier, vault.templates, vault.clock), { ...GENEROUS, clock: vault.clock, logger: capturedLogger().logger }),
      ],
    });
    ({ issued: license, bytes: pdf } = await issue());
  });
  afterAll(() => vault.close());

  test('the exact bytes the vault issued are authentic, with a masked summary and nothing more', async () => {
    const res = await upload(pdf).expect(200);
    expect(res.body).toMatchObject({ result: 'authentic', valid: true });
    expect(res.body.license).toEqual({
      licenseType: { code: teacher.catalogue.typeCode, name: '教师资格证书' },
      identifier: license.identifier,
      licenseNumber: license.licenseNumber,
      issuer: license.issuer,
      holderName: '李秀英',
      holderId: '110105********002X',
      issuedAt: license.issuedAt,
      validFrom: license.validFrom,
      validUntil: null,
      status: 'active',
    });
    expect(JSON.stringify(res.body)).not.toContain('11010519491231002X');
  });

  test('a revoked or superseded license says so', async () => {
    const { issued, bytes } = await issue();
    await new LicenseLifecycle(vault.store, vault.clock).change(issuer, issued.identifier, 'revoke', '注销');
    await expect(upload(bytes).then((r) => r.body)).resolves.toMatchObject({ result: 'revoked', valid: false });
    const second = await issue();
    await vault.issuance.reissue(issuer, second.issued.identifier, {});
    await expect(upload(second.bytes).then((r) => r.body)).resolves.toMatchObject({ result: 'superseded', valid: false });
  });

  test('one flipped byte is tampered, with the failing check named', async () => {
    const res = await upload(flipByte(pdf, offsetInFirstStream(pdf))).expect(200);
    expect(res.body).toMatchObject({ result: 'tampered', valid: false });
    expect(res.body.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'message-digest', ok: false })]));
  });

  test('a license signed by a certificate outside the trust roots is untrusted', async () => {
    const stranger = vault.pki.untrustedDepartment();
    const signer = await loadP12Signer({ p12: stranger.p12, password: stranger.password, clock: vault.clock });
    const forged = await new PadesSigner(new CadesSignedDataBuilder()).sign(await makePreparedPdf(), signer);
    await expect(upload(forged).then((r) => r.body)).resolves.toMatchObject({ result: 'untrusted-signer', valid: false });
  });

  test('an unsigned PDF is malformed; a PNG or no file is refused with a stable code', async () => {
    await expect(upload(await makeOnePagePdf()).then((r) => r.body)).resolves.toMatchObject({ result: 'malformed', valid: false });
    const png = await upload(solidPng(4, 4, [1, 2, 3]), 'license.pdf').expect(400);
    expect(png.body.code).toBe('ERR_PDF_INVALID');
    const none = await request(app).post('/api/v1/verifications').field('other', 'x').expect(400);
    expect(none.body.code).toBe('ERR_REQUEST_INVALID');
    const large = await upload(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024)])).expect(413);
    expect(large.body.code).toBe('ERR_REQUEST_TOO_LARGE');
  });

  test('field check: consistent on a full match, inconsistent naming nothing otherwise', async () => {
    const check = (body: object) =>
      request(app)
        .post('/api/v1/verifications/fields')
        .send(body)
        .expect(200)
        .then((r) => r.body);
    await expect(check({ identifier: license.identifier, holderName: ' 李秀英 ', holderId: '11010519491231002x' })).resolves.toMatchObject({
      result: 'consistent',
      license: { identifier: license.identifier, holderId: '110105********002X' },
    });
    await expect(check({ licenseNumber: license.licenseNumber, holderName: '李秀英', holderId: '11010519491231002X' })).resolves.toMatchObject({ result: 'consistent' });
    await expect(check({ identifier: license.identifier, holderName: '王五', holderId: '440524188001010014' })).resolves.toEqual({ result: 'inconsistent' });
    await expect(check({ licenseNumber: 'NO-SUCH', holderName: '李秀英', holderId: '11010519491231002X' })).resolves.toEqual({ result: 'inconsistent' });
    const both = await request(app).post('/api/v1/verifications/fields').send({ identifier: license.identifier, licenseNumber: 'x', holderName: 'a', holderId: 'b' }).expect(400);
    expect(both.body.code).toBe('ERR_REQUEST_INVALID');
    await request(app)
      .post('/api/v1/verifications/fields')
      .send({ identifier: { $ne: null }, holderName: 'a', holderId: 'b' })
      .expect(400);
  });

  test('anonymous verification is limited per client IP: 429 with Retry-After', async () => {
    const limited = createApp({
      logger: capturedLogger().logger,
      lifecycle: { shuttingDown: false },
      jsonLimitBytes: 1024,
      health: { pingStore: async () => {}, storeKind: 'sqlite' },
      trustProxy: true,
      routers: [
        verificationRoutes(new LicenseVerification(vault.store, new StrictPdfSignatureVerifier({ trustedRoots: () => [], clock: vault.clock }), vault.templates, vault.clock), {
          ...GENEROUS,
          perMinute: 3,
          clock: vault.clock,
          logger: capturedLogger().logger,
        }),
      ],
    });
    const from = (ip: string) => request(limited).get(`/v/${license.identifier}?c=x`).set('X-Forwarded-For', ip).set('Accept', 'application/json');
    for (let i = 0; i < 3; i += 1) await from('203.0.113.7').expect(404);
    const refused = await from('203.0.113.7').expect(429);
    expect(refused.body.code).toBe('ERR_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await from('198.51.100.9').expect(404);
  });

  test('the QR link: a page for people and JSON for programs; a wrong code and an unknown identifier look the same', async () => {
    const page = await request(app).get(`/v/${license.identifier}?c=${license.verificationCode}`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('真实有效');
    expect(page.text).toContain('110105********002X');
    expect(page.text).not.toContain('11010519491231002X');
    expect(page.text).not.toContain('<script');
    const json = await request(app).get(`/v/${license.identifier}?c=${license.verificationCode}`).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ result: 'authentic', valid: true, license: { identifier: license.identifier } });
    const wrongCode = await request(app).get(`/v/${license.identifier}?c=AAAAAAAAAAAAAAAAAAAAAA`).set('Accept', 'application/json').expect(404);
    const unknown = await request(app).get(`/v/1.2.156.3005.2.nothing?c=${license.verificationCode}`).set('Accept', 'application/json').expect(404);
    expect(wrongCode.body).toEqual(unknown.body);
    expect(wrongCode.body).toEqual({ result: 'not-found', valid: false });
  });
});
