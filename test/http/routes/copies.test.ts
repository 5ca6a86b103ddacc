import { rmSync } from 'node:fs';
import request from 'supertest';
import type { Express } from 'express';
import { AnnotatedCopyComposer } from '../../../src/adapters/pdf/annotated-copy-composer.js';
import { licenseRoutes } from '../../../src/http/routes/licenses.js';
import { shareCopyMaker } from '../../../src/composition/copies.js';
import { CadesSignedDataBuilder } from '../../../src/adapters/pki/cms/signed-data-builder.js';
import { PLATFORM_KEY_NAME, pkiPaths } from '../../../src/adapters/pki/pki-directory.js';
import { fixedMaskQrEncoder } from '../../../src/adapters/qr/qrcode-encoder.js';
import { copyBand, COPY_METADATA_KEYS, newCopyId, type CopyMetadata } from '../../../src/modules/copies/index.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import { LicenseLifecycle, type LicenseRecord } from '../../../src/modules/licenses/index.js';
import { PadesSigner } from '../../../src/modules/signing/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { licenseFonts } from '../../fixtures/fonts.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { authTestApp, bearer, tokenFor } from '../../support/auth.js';
import { appendIncrementalUpdate } from '../../support/incremental-update.js';
import { holderSession } from '../../support/holder-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { flipByte } from '../../support/tamper.js';
import { Validators } from '../../support/validators.js';
import { licenseRouteDependencies, openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
const OTHER_DEPARTMENT = '11100000000013338W';
const FOR_SCHOOL = { serviceItem: '新生入学登记', purpose: '办理入学登记', validDays: 30 };

/** Where `needle` (latin1) starts in `pdf`. */
function offsetOf(pdf: Uint8Array, needle: string): number {
  const at = Buffer.from(pdf).indexOf(needle, 0, 'latin1');
  if (at < 0) throw new Error(`${needle} not in the file`);
  return at;
}

/** The UTF-16BE hex a text string of `text` is written as. */
const hexText = (text: string) => Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();

describe('annotated copies (加注件): made by clerks, verified by anyone', () => {
  let vault: VaultHarness;
  let app: Express;
  let teacher: LicenseTemplate;
  let clerk: string;
  const issue = async (): Promise<LicenseRecord> =>
    (
      await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      })
    ).license;
  const makeCopy = (identifier: string, body: object = FOR_SCHOOL, authorization = clerk) =>
    request(app)
      .post(`/api/v1/licenses/${identifier}/copies`)
      .set('Authorization', authorization)
      .send(body)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const upload = (bytes: Uint8Array) => request(app).post('/api/v1/verifications').attach('file', Buffer.from(bytes), 'copy.pdf');

  beforeAll(async () => {
    vault = await openVaultHarness();
    teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 64 * 1024 });
    clerk = bearer(await tokenFor(app, vault.store, 'clerk'));
  });
  afterAll(() => vault.close());

  test('a clerk gets a signed PDF, recorded and audited with the holder fingerprint, service item and purpose; an upload of it is authentic-copy', async () => {
    const license = await issue();
    const res = await makeCopy(license.identifier).expect(201);
    expect(res.headers['content-type']).toBe('application/pdf');
    const copyId = res.headers['x-copy-id'] as string;
    expect(copyId).toMatch(/^JZ[0-9A-Z]{20}$/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${copyId}.pdf"`);
    const pdf = res.body as Buffer;

    const record = await vault.store.copies.findById(copyId);
    expect(record).toMatchObject({ originalIdentifier: license.identifier, originalSha256: license.sha256, serviceItem: '新生入学登记', purpose: '办理入学登记' });
    expect(record?.validUntil).toBe('2026-12-21');
    await expect(vault.store.audit.last()).resolves.toMatchObject({
      action: 'copy.make',
      target: license.identifier,
      details: {
        copyId,
        holderFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: '11010519491231002X' }),
        serviceItem: '新生入学登记',
        purpose: '办理入学登记',
        department: null,
      },
    });

    const verdict = (await upload(pdf).expect(200)).body;
    expect(verdict).toMatchObject({
      result: 'authentic-copy',
      valid: true,
      license: { identifier: license.identifier, holderId: '110105********002X', status: 'active' },
      copy: {
        copyId,
        office: { name: '未登记部门的办事窗口', creditCode: null },
        serviceItem: '新生入学登记',
        validUntil: '2026-12-21',
        expired: false,
        original: { identifier: license.identifier, status: 'active', inForce: true },
      },
    });
    expect(verdict.checks.map((check: { name: string }) => check.name)).toEqual(['issued-file', 'copy-metadata', 'original-known', 'copy-validity', 'original-status']);
    expect(JSON.stringify(verdict)).not.toContain('11010519491231002X');
    // Not the original's bytes, and not carrying the department's signature.
    expect(Buffer.from(pdf).includes(Buffer.from(TEST_DEPARTMENT.name, 'utf8'))).toBe(false);
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('/LicenseIdentifier');
  });

  test("the copy's QR link shows who took it, for what and until when; a wrong code is the same 404 as no copy", async () => {
    const license = await issue();
    const copyId = (await makeCopy(license.identifier).expect(201)).headers['x-copy-id'] as string;
    const { verificationCode } = (await vault.store.copies.findById(copyId))!;
    const json = await request(app).get(`/v/copy/${copyId}?c=${verificationCode}`).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ result: 'authentic-copy', valid: true, copy: { copyId, serviceItem: '新生入学登记' }, license: { holderId: '110105********002X' } });
    const page = await request(app).get(`/v/copy/${copyId}?c=${verificationCode}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('加注件真实');
    expect(page.text).toContain('未登记部门的办事窗口');
    expect(page.text).toContain('新生入学登记');
    expect(page.text).not.toContain('11010519491231002X');
    const wrong = await request(app)
      .get(`/v/copy/${copyId}?c=${'x'.repeat(22)}`)
      .set('Accept', 'application/json')
      .expect(404);
    const none = await request(app).get(`/v/copy/${newCopyId()}?c=${verificationCode}`).set('Accept', 'application/json').expect(404);
    expect(wrong.body).toEqual({ result: 'not-found', valid: false });
    expect(none.body).toEqual(wrong.body);
  });

  test('after its last day the copy is copy-expired, by upload and by QR link', async () => {
    const license = await issue();
    const res = await makeCopy(license.identifier, { ...FOR_SCHOOL, validDays: 1 }).expect(201);
    const copyId = res.headers['x-copy-id'] as string;
    const { verificationCode, validUntil } = (await vault.store.copies.findById(copyId))!;
    expect(validUntil).toBe('2026-11-22');
    const start = vault.clock.now().toISOString();
    try {
      vault.clock.set('2026-11-22T15:59:00Z'); // 23:59 China time, the last day
      expect((await upload(res.body as Buffer).expect(200)).body).toMatchObject({ result: 'authentic-copy', valid: true });
      vault.clock.set('2026-11-22T16:00:00Z');
      const verdict = (await upload(res.body as Buffer).expect(200)).body;
      expect(verdict).toMatchObject({ result: 'copy-expired', valid: false, copy: { expired: true } });
      expect(verdict.checks).toContainEqual(expect.objectContaining({ name: 'copy-validity', ok: false }));
      const qr = await request(app).get(`/v/copy/${copyId}?c=${verificationCode}`).set('Accept', 'application/json').expect(200);
      expect(qr.body).toMatchObject({ result: 'copy-expired', valid: false });
    } finally {
      vault.clock.set(start);
    }
  });

  test('a copy of a license revoked since is still an authentic copy, but not in force, and says so', async () => {
    const license = await issue();
    const res = await makeCopy(license.identifier).expect(201);
    await new LicenseLifecycle(vault.store, vault.clock).change(issuer, license.identifier, 'revoke', '证书依法撤销');
    const verdict = (await upload(res.body as Buffer).expect(200)).body;
    expect(verdict).toMatchObject({ result: 'authentic-copy', valid: false, copy: { original: { status: 'revoked', inForce: false } }, license: { status: 'revoked' } });
    expect(verdict.checks).toContainEqual({ name: 'original-status', ok: false, detail: 'the original license is revoked: the copy is not in force' });
    const { verificationCode } = (await vault.store.copies.findById(res.headers['x-copy-id'] as string))!;
    const page = await request(app).get(`/v/copy/${res.headers['x-copy-id']}?c=${verificationCode}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('加注件真实，但原件已撤销，不再有效');
    expect(page.text).toContain('class="verdict warn"');
    // And no new copy is made of it.
    const refused = await makeCopy(license.identifier).expect(409);
    expect(JSON.parse(refused.body.toString()).code).toBe('ERR_COPY_ORIGINAL_NOT_IN_FORCE');
  });

  describe('anything changed is tampered', () => {
    let pdf: Buffer;
    beforeAll(async () => {
      pdf = (await makeCopy((await issue()).identifier).expect(201)).body as Buffer;
    });

    test('a byte flipped in the band (the page content stream)', async () => {
      const streams = [...pdf.toString('latin1').matchAll(/stream\n/g)].map((match) => match.index);
      // The band is the last stream before the page; any stream's byte will do, the signature covers them all.
      const inStream = (streams.at(-1) as number) + 'stream\n'.length + 5;
      const verdict = (await upload(flipByte(pdf, inStream)).expect(200)).body;
      expect(verdict).toMatchObject({ result: 'tampered', valid: false });
      expect(verdict.checks).toContainEqual(expect.objectContaining({ name: 'message-digest', ok: false }));
    });

    test('the service item rewritten in the metadata (same length)', async () => {
      const at = offsetOf(pdf, `/${COPY_METADATA_KEYS.serviceItem} <FEFF${hexText('新生入学登记')}`);
      const forged = Buffer.from(pdf);
      forged.write(`/${COPY_METADATA_KEYS.serviceItem} <FEFF${hexText('办理出国签证')}`, at, 'latin1');
      const verdict = (await upload(forged).expect(200)).body;
      expect(verdict).toMatchObject({ result: 'tampered', valid: false });
    });

    test('an update appended after signing', async () => {
      const verdict = (await upload(appendIncrementalUpdate(pdf)).expect(200)).body;
      expect(verdict).toMatchObject({ result: 'tampered', valid: false });
      expect(verdict.checks).toContainEqual(expect.objectContaining({ name: 'whole-file', ok: false }));
    });

    test("a copy signed with a department's key instead of the platform's is untrusted-signer", async () => {
      const license = await issue();
      const original = (await vault.store.licenseFiles.get(license.identifier))!.bytes;
      const metadata: CopyMetadata = {
        copyId: newCopyId(),
        originalIdentifier: license.identifier,
        originalSha256: license.sha256,
        office: { name: '某办事窗口', creditCode: null },
        serviceItem: '新生入学登记',
        purpose: '办理入学登记',
        madeAt: vault.clock.now().toISOString(),
        validUntil: '2026-12-21',
      };
      const prepared = await new AnnotatedCopyComposer(licenseFonts(), fixedMaskQrEncoder).compose({
        original: async () => original,
        metadata,
        band: copyBand(metadata),
        verificationUrl: 'https://zzk.example.gov.cn/v/copy/x',
        signingTime: vault.clock.now(),
      });
      const signed = await new PadesSigner(new CadesSignedDataBuilder()).sign(prepared, await vault.issuanceDeps.signers.signerFor(TEST_DEPARTMENT.creditCode));
      const verdict = (await upload(signed).expect(200)).body;
      expect(verdict).toMatchObject({ result: 'untrusted-signer', valid: false });
      expect(verdict.checks.at(-1)).toMatchObject({ name: 'platform-signer', ok: false });
    });
  });

  describe('who may make copies, and the original', () => {
    test("an issuer makes copies of its own department's licenses only; the original PDF is the issuer's alone", async () => {
      const license = await issue();
      const own = bearer(await tokenFor(app, vault.store, 'issuer', TEST_DEPARTMENT.creditCode));
      const other = bearer(await tokenFor(app, vault.store, 'issuer', OTHER_DEPARTMENT));
      const made = await makeCopy(license.identifier, FOR_SCHOOL, own).expect(201);
      expect((await vault.store.copies.findById(made.headers['x-copy-id'] as string))?.office).toEqual({ name: TEST_DEPARTMENT.name, creditCode: TEST_DEPARTMENT.creditCode });
      await makeCopy(license.identifier, FOR_SCHOOL, other).expect(404);
      const purpose = encodeURIComponent('办理入学登记');
      const refused = await request(app).get(`/api/v1/licenses/${license.identifier}/pdf?purpose=${purpose}`).set('Authorization', clerk).expect(403);
      expect(refused.body.code).toBe('ERR_FORBIDDEN');
      await request(app).get(`/api/v1/licenses/${license.identifier}/pdf?purpose=${purpose}`).set('Authorization', own).expect(200);
    });

    test.each([
      ['no service item', { purpose: '办理入学登记' }, 400, 'ERR_REQUEST_INVALID'],
      ['a service item of one letter', { ...FOR_SCHOOL, serviceItem: '学' }, 400, 'ERR_SERVICE_ITEM_REQUIRED'],
      ['a service item of punctuation', { ...FOR_SCHOOL, serviceItem: '……——' }, 400, 'ERR_SERVICE_ITEM_REQUIRED'],
      ['a meaningless purpose', { ...FOR_SCHOOL, purpose: 'aaaa' }, 400, 'ERR_PURPOSE_REQUIRED'],
      ['zero days', { ...FOR_SCHOOL, validDays: 0 }, 400, 'ERR_REQUEST_INVALID'],
      ['days and a date at once', { ...FOR_SCHOOL, validUntil: '2026-12-01' }, 400, 'ERR_COPY_VALIDITY_INVALID'],
      ['a last day already past', { serviceItem: '新生入学登记', purpose: '办理入学登记', validUntil: '2026-11-20' }, 400, 'ERR_COPY_VALIDITY_INVALID'],
      ['a last day more than a year ahead', { serviceItem: '新生入学登记', purpose: '办理入学登记', validUntil: '2028-01-01' }, 400, 'ERR_COPY_VALIDITY_INVALID'],
      ['a character the font cannot print', { ...FOR_SCHOOL, serviceItem: '入学\u{10FFFD}登记' }, 400, 'ERR_RENDER_GLYPH_MISSING'],
      ['an unknown member', { ...FOR_SCHOOL, office: '伪造的单位' }, 400, 'ERR_REQUEST_INVALID'],
    ])('%s: %i %s, nothing recorded or audited', async (_name, body, status, code) => {
      const license = await issue();
      const before = (await vault.store.audit.last())?.seq;
      const res = await makeCopy(license.identifier, body).expect(status);
      expect(JSON.parse(res.body.toString()).code).toBe(code);
      expect((await vault.store.audit.last())?.seq).toBe(before);
    });

    test('an unknown license is 404 and nothing is audited', async () => {
      const license = await issue();
      const before = (await vault.store.audit.last())?.seq;
      const unknown = license.identifier.replace(/\.\d{3}\.([0-9A-Z])$/, '.002.$1');
      const res = await makeCopy(unknown).expect(404);
      expect(JSON.parse(res.body.toString()).code).toBe('ERR_LICENSE_NOT_FOUND');
      expect((await vault.store.audit.last())?.seq).toBe(before);
    });
  });

  test("pdfsig and openssl cms accept the copy's signature against the trust root, signed by the platform", async () => {
    const pdf = (await makeCopy((await issue()).identifier).expect(201)).body as Buffer;
    const validators = new Validators([vault.pki.rootPem]);
    try {
      const report = validators.pdfsig(pdf);
      expect(report).toContain('Signature is Valid.');
      expect(report).toContain('Certificate is Trusted.');
      expect(report).toContain('Total document signed');
      expect(report).toContain('电子证照库平台 加注件签章');
      expect(validators.opensslVerify(pdf)).toMatchObject({ ok: true });
    } finally {
      validators.dispose();
    }
  });
});

describe('without the platform key', () => {
  test('a copy is 503 ERR_SIGNER_KEY_MISSING, and nothing is recorded or audited', async () => {
    const vault = await openVaultHarness();
    try {
      rmSync(pkiPaths(vault.certsDir).departmentFile(PLATFORM_KEY_NAME));
      const app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 64 * 1024 });
      const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
      const { license } = await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      });
      const authorization = bearer(await tokenFor(app, vault.store, 'clerk'));
      const before = (await vault.store.audit.last())?.seq;
      const res = await request(app).post(`/api/v1/licenses/${license.identifier}/copies`).set('Authorization', authorization).send(FOR_SCHOOL).expect(503);
      expect(res.body.code).toBe('ERR_SIGNER_KEY_MISSING');
      expect((await vault.store.audit.last())?.seq).toBe(before);
    } finally {
      await vault.close();
    }
  });
});

describe('copies count in the per-account look-up window', () => {
  test('with 3 reads a minute, a look-up, a read and a copy use them up: the next copy is 429 and nothing is made', async () => {
    const vault = await openVaultHarness();
    try {
      const app = authTestApp(vault.store, { routers: [licenseRoutes(licenseRouteDependencies(vault, { lookupsPerMinute: 3 }))] }).app;
      const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
      const { license } = await vault.issuance.issue(issuer, {
        licenseType: teacher.catalogue.typeCode,
        holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
        fields: teacher.example.fields,
      });
      const authorization = bearer(await tokenFor(app, vault.store, 'clerk'));
      const purpose = encodeURIComponent('办理入学登记');
      await request(app).get(`/api/v1/holders/11010519491231002X/licenses?purpose=${purpose}`).set('Authorization', authorization).expect(200);
      await request(app).get(`/api/v1/licenses/${license.identifier}?purpose=${purpose}`).set('Authorization', authorization).expect(200);
      await request(app).post(`/api/v1/licenses/${license.identifier}/copies`).set('Authorization', authorization).send(FOR_SCHOOL).expect(201);
      const before = (await vault.store.audit.last())?.seq ?? 0;
      const limited = await request(app).post(`/api/v1/licenses/${license.identifier}/copies`).set('Authorization', authorization).send(FOR_SCHOOL).expect(429);
      expect(limited.body.code).toBe('ERR_RATE_LIMITED');
      // The refusal may be recorded as a security event; no copy is.
      const after = await vault.store.audit.list(before, 10);
      expect(after.map((entry) => entry.action)).not.toContain('copy.make');
    } finally {
      await vault.close();
    }
  });
});

describe('a share link offers the annotated copy this use case makes', () => {
  test("the copy names the share's recipient and purpose, lasts as long as the share, and verifies as authentic-copy", async () => {
    const vault = await openVaultHarness();
    try {
      const app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 64 * 1024, shareCopies: shareCopyMaker(vault.copies) });
      const license = await (async () => {
        const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
        return (
          await vault.issuance.issue(issuer, {
            licenseType: teacher.catalogue.typeCode,
            holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
            fields: teacher.example.fields,
          })
        ).license;
      })();
      const { cookie } = await holderSession(vault, '11010519491231002X', { name: '李秀英' });
      const created = await request(app)
        .post('/api/v1/me/shares')
        .set('Cookie', cookie)
        .set('Origin', PUBLIC_URL)
        .send({ licenses: [license.identifier], recipient: '某某银行', purpose: '办理住房贷款', lifetimeMinutes: 60 })
        .expect(201);
      const token = (created.body.link as string).slice(`${PUBLIC_URL}/s/`.length);
      const res = await request(app)
        .get(`/s/${token}/copies/${license.identifier}`)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const verdict = (
        await request(app)
          .post('/api/v1/verifications')
          .attach('file', res.body as Buffer, 'copy.pdf')
          .expect(200)
      ).body;
      expect(verdict).toMatchObject({
        result: 'authentic-copy',
        valid: true,
        copy: { office: { name: '某某银行', creditCode: null }, serviceItem: '办理住房贷款', purpose: '办理住房贷款', validUntil: '2026-11-21' },
      });
      expect(await vault.store.audit.list(0, 1000)).toContainEqual(
        expect.objectContaining({ action: 'copy.make', target: license.identifier, details: expect.objectContaining({ shareId: created.body.share.id }) }),
      );
    } finally {
      await vault.close();
    }
  });
});
