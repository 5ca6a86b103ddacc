import request from 'supertest';
import { PdfLibLicenseRenderer } from '../../../src/adapters/pdf/license-renderer.js';
import { CadesSignedDataBuilder } from '../../../src/adapters/pki/cms/signed-data-builder.js';
import { licenseRoutes } from '../../../src/http/routes/licenses.js';
import { LicenseIssuance, type IssuanceDependencies } from '../../../src/modules/licenses/issuance.js';
import { PadesSigner } from '../../../src/modules/signing/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { licenseFonts } from '../../fixtures/fonts.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, tokenFor } from '../../support/auth.js';
import { licenseRouteDependencies, openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

/** A QR encoder that breaks: a fault of the vault's own renderer, whatever the request. */
const BROKEN_QR = {
  encode(): never {
    throw new Error('the QR encoder failed');
  },
};

describe('a render or signing fault inside the vault is its own 500, and stores nothing', () => {
  let vault: VaultHarness;
  let teacher: LicenseTemplate;
  let attempt = 0;

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
  });
  afterAll(() => vault.close());

  /** An issuer's app whose issuance is built from the harness's, with `change` applied. */
  async function issuerApp(change: Partial<IssuanceDependencies>) {
    const issuance = new LicenseIssuance({ ...vault.issuanceDeps, ...change });
    const deps = licenseRouteDependencies(vault, { issuance });
    const { app, log } = authTestApp(vault.store, { routers: [licenseRoutes(deps)] });
    const token = await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode);
    const issue = () =>
      request(app)
        .post('/api/v1/licenses')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', `fault-${(attempt += 1)}`)
        .send({ licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' }, fields: teacher.example.fields });
    return { issue, log };
  }

  async function expectNothingStored(auditBefore: number): Promise<void> {
    await expect(vault.store.licenses.count()).resolves.toBe(0);
    const audit = await vault.store.audit.list(0, 1000);
    expect(audit.length).toBe(auditBefore);
    expect(audit.filter((entry) => entry.action === 'license.issue')).toEqual([]);
  }

  test('a render fault (the QR encoder fails) answers 500 ERR_RENDER_FAILED, logs the cause, stores nothing', async () => {
    const { issue, log } = await issuerApp({ renderer: new PdfLibLicenseRenderer(licenseFonts(), BROKEN_QR) });
    const auditBefore = (await vault.store.audit.list(0, 1000)).length;
    const response = await issue()
      .expect(500)
      .expect('content-type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 500, code: 'ERR_RENDER_FAILED', title: 'The vault could not render the license' });
    await expectNothingStored(auditBefore);
    expect(log.lines().find((line) => line.msg === 'fault inside the vault')).toMatchObject({ code: 'ERR_RENDER_FAILED', requestId: response.body.requestId });
  });

  test('a signing fault (a signature larger than its placeholder) answers 500 ERR_SIGNING_FAILED, stores nothing', async () => {
    const cms = new CadesSignedDataBuilder();
    const oversized = new PadesSigner({
      createDetachedSignature: async (digest, signer) => {
        const real = await cms.createDetachedSignature(digest, signer);
        return new Uint8Array([...real, ...new Uint8Array(16384)]);
      },
    });
    const { issue } = await issuerApp({ pades: oversized });
    const auditBefore = (await vault.store.audit.list(0, 1000)).length;
    const response = await issue().expect(500);
    expect(response.body).toMatchObject({ status: 500, code: 'ERR_SIGNING_FAILED', detail: 'The signature does not fit the placeholder reserved for it' });
    await expectNothingStored(auditBefore);
  });

  test('the same vault issues once the fault is gone: the faults above were not the request', async () => {
    const { issue } = await issuerApp({});
    const response = await issue().expect(201);
    expect(response.body.status).toBe('active');
    await expect(vault.store.licenses.count()).resolves.toBe(1);
  });
});
