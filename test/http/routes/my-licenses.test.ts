import { createHash } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { SecurityEventRecorder, type AuditEntry } from '../../../src/modules/audit/index.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import type { LicenseRecord } from '../../../src/modules/licenses/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { VerificationTally } from '../../../src/modules/verification/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { holderSession } from '../../support/holder-session.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const CITIZEN = '11010519491231002X';
const OTHER_CITIZEN = '440524188001010014';
const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };
const clerk: Principal = { clientId: 'demo-clerk', role: 'clerk', department: null };

/** Headers that differ between any two responses, whatever they answer. */
const PER_RESPONSE = new Set(['date', 'x-request-id', 'etag']);
const sameHeaders = (res: request.Response) => Object.entries(res.headers).filter(([name]) => !PER_RESPONSE.has(name));

describe('my licenses and my usage record over HTTP', () => {
  let vault: VaultHarness;
  let app: Express;
  let tally: VerificationTally;
  let mine: LicenseRecord[];
  let theirs: LicenseRecord;
  let cookie: string;
  let otherCookie: string;
  const securityEvents = () => new SecurityEventRecorder({ audit: vault.store.audit, clock: vault.clock });

  async function issue(holderId: string, name: string): Promise<LicenseRecord> {
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const fields = holderId === CITIZEN ? teacher.example.fields : { ...teacher.example.fields, sex: '男', birthDate: '1880-01-01' };
    return (await vault.issuance.issue(issuer, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id: holderId, name }, fields })).license;
  }

  async function entriesAfter(seq: number): Promise<AuditEntry[]> {
    return [...(await vault.store.audit.list(seq, 100))];
  }

  beforeAll(async () => {
    vault = await openVaultHarness();
    tally = new VerificationTally({ repository: vault.store.verificationCounts, clock: vault.clock });
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024, verificationTally: tally, securityEvents: securityEvents() });
    mine = [];
    for (let i = 0; i < 3; i += 1) {
      mine.unshift(await issue(CITIZEN, '李秀英'));
      vault.clock.set(new Date(vault.clock.now().getTime() + 60_000).toISOString());
    }
    theirs = await issue(OTHER_CITIZEN, '张三');
    cookie = (await holderSession(vault, CITIZEN, { name: '李秀英' })).cookie;
    otherCookie = (await holderSession(vault, OTHER_CITIZEN, { name: '张三' })).cookie;
    const at = vault.clock.now().toISOString();
    await vault.store.accounts.insert({
      clientId: 'demo-clerk',
      role: 'clerk',
      department: TEST_DEPARTMENT.creditCode,
      displayName: '窗口',
      secretHash: 'scrypt$x',
      disabled: false,
      createdAt: at,
      updatedAt: at,
    });
  });
  afterAll(() => vault.close());

  test("the list holds the holder's licenses only, newest first, the number masked, paged", async () => {
    const first = await request(app).get('/api/v1/me/licenses?limit=2').set('Cookie', cookie).expect(200);
    expect(first.body.items.map((item: { identifier: string }) => item.identifier)).toEqual([mine[0]!.identifier, mine[1]!.identifier]);
    expect(first.body.items[0]).toMatchObject({
      licenseType: { name: '教师资格证书' },
      status: 'active',
      holder: { type: 'citizen', id: '110105********002X', name: '李秀英' },
      issuer: { name: TEST_DEPARTMENT.name },
      version: 1,
      links: { face: expect.stringMatching(/\/api\/v1\/me\/licenses\/.+\/face\.png$/), pdf: expect.stringMatching(/\/pdf$/) },
    });
    expect(JSON.stringify(first.body)).not.toContain(CITIZEN);
    const second = await request(app).get('/api/v1/me/licenses').query({ limit: 2, cursor: first.body.nextCursor }).set('Cookie', cookie).expect(200);
    expect(second.body).toMatchObject({ items: [{ identifier: mine[2]!.identifier }], nextCursor: null });
    await request(app).get('/api/v1/me/licenses?limit=51').set('Cookie', cookie).expect(400);
  });

  test('without a session every route is 401 ERR_HOLDER_SESSION_MISSING', async () => {
    for (const path of [
      '/api/v1/me/licenses',
      `/api/v1/me/licenses/${mine[0]!.identifier}`,
      `/api/v1/me/licenses/${mine[0]!.identifier}/face.png`,
      `/api/v1/me/licenses/${mine[0]!.identifier}/pdf`,
      '/api/v1/me/usage',
    ]) {
      expect((await request(app).get(path).expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
    }
  });

  test('one license, its face as a PNG and its original PDF; each read is audited as the holder’s own', async () => {
    const [license] = mine;
    const before = (await vault.store.audit.last())!.seq;
    await request(app).get(`/api/v1/me/licenses/${license!.identifier}`).set('Cookie', cookie).expect(200).expect('Content-Type', /json/);
    const face = await request(app).get(`/api/v1/me/licenses/${license!.identifier}/face.png`).set('Cookie', cookie).expect(200).expect('Content-Type', 'image/png');
    expect([...(face.body as Buffer).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const pdf = await request(app).get(`/api/v1/me/licenses/${license!.identifier}/pdf`).set('Cookie', cookie).expect(200).expect('Content-Type', 'application/pdf');
    expect(
      createHash('sha256')
        .update(pdf.body as Buffer)
        .digest('hex'),
    ).toBe(license!.sha256);
    expect(pdf.headers['digest']).toBe(`sha-256=${Buffer.from(license!.sha256, 'hex').toString('base64')}`);
    const holderFingerprint = vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN });
    expect((await entriesAfter(before)).map((entry) => [entry.action, entry.actor.id, entry.actor.role, entry.target, entry.details])).toEqual([
      ['holder.license.read', 'holder:110105********002X', 'holder', license!.identifier, { holderFingerprint, view: 'details' }],
      ['holder.license.read', 'holder:110105********002X', 'holder', license!.identifier, { holderFingerprint, view: 'face' }],
      ['holder.license.download', 'holder:110105********002X', 'holder', license!.identifier, { holderFingerprint }],
    ]);
  });

  test.each(['', '/face.png', '/pdf'])(
    "another holder's license%s is answered byte for byte as a missing one, and the attempt is audited under the owner's fingerprint",
    async (suffix) => {
      // Repeats of one refusal within a minute are counted, not each written: each case starts a new minute.
      vault.clock.set(new Date(vault.clock.now().getTime() + 120_000).toISOString());
      const missing = `${theirs.identifier.slice(0, -5)}99.0`;
      const before = (await vault.store.audit.last())!.seq;
      const refused = await request(app).get(`/api/v1/me/licenses/${theirs.identifier}${suffix}`).set('Cookie', cookie).expect(404);
      const absent = await request(app).get(`/api/v1/me/licenses/${missing}${suffix}`).set('Cookie', cookie).expect(404);
      const withoutRequestId = (res: request.Response) => res.text.replace(String(res.headers['x-request-id']), '<request id>');
      expect(withoutRequestId(refused)).toBe(withoutRequestId(absent));
      expect(JSON.parse(refused.text)).toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND' });
      expect(sameHeaders(refused)).toEqual(sameHeaders(absent));
      const written = await entriesAfter(before);
      const requesterFingerprint = vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN });
      expect(written.map((entry) => [entry.action, entry.target, entry.details['holderFingerprint'] ?? null, entry.details['requesterFingerprint']])).toEqual([
        ['holder.access.denied', theirs.identifier, vault.fingerprinter.fingerprint({ type: 'citizen', value: OTHER_CITIZEN }), requesterFingerprint],
        ['holder.access.denied', missing, null, requesterFingerprint],
      ]);
      expect(JSON.stringify(written)).not.toMatch(new RegExp(`${CITIZEN}|${OTHER_CITIZEN}`));
    },
  );

  test('the usage record: look-ups, reads, downloads and refusals by others, newest first, with office names and masked clerks; the holder’s own reads left out', async () => {
    await vault.queries.lookUpHolder(clerk, { holderId: CITIZEN, purpose: '办理入学登记', limit: 10 });
    await vault.queries.read(issuer, mine[0]!.identifier, '核验教师资格');
    await vault.queries.download(clerk, mine[1]!.identifier, '留存复印件');
    await request(app).get(`/api/v1/me/licenses/${mine[0]!.identifier}`).set('Cookie', otherCookie).expect(404);
    await request(app).get(`/api/v1/me/licenses/${mine[0]!.identifier}`).set('Cookie', cookie).expect(200);
    const res = await request(app).get('/api/v1/me/usage?limit=4').set('Cookie', cookie).expect(200);
    const department = { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name };
    expect(res.body.items).toEqual([
      expect.objectContaining({ kind: 'denied', action: 'holder.access.denied', actorRole: 'holder', clerk: null, department: null }),
      expect.objectContaining({
        kind: 'download',
        clerk: 'dem***rk',
        department,
        purpose: '留存复印件',
        licenses: [{ identifier: mine[1]!.identifier, typeName: '教师资格证书' }],
      }),
      expect.objectContaining({ kind: 'read', clerk: 'iss***fz', department, purpose: '核验教师资格', licenses: [{ identifier: mine[0]!.identifier, typeName: '教师资格证书' }] }),
      expect.objectContaining({ kind: 'lookup', clerk: 'dem***rk', department, purpose: '办理入学登记', licenses: [], repeated: 1 }),
    ]);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toMatch(/demo-clerk|issuer-fz|11010519491231002X|440524188001010014/);
    // The other holder sees nothing of this in theirs: their record holds only the refusals of reads of their license.
    const others = await request(app).get('/api/v1/me/usage').set('Cookie', otherCookie).expect(200);
    expect(others.body.items.map((item: { kind: string; actorRole: string }) => [item.kind, item.actorRole])).toEqual([
      ['denied', 'holder'],
      ['denied', 'holder'],
      ['denied', 'holder'],
    ]);
  });

  test('pages are stable while new entries arrive, and end with a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const first = await request(app).get('/api/v1/me/usage?limit=2').set('Cookie', cookie).expect(200);
    seen.push(...first.body.items.map((item: { at: string; action: string }) => item.action));
    cursor = first.body.nextCursor;
    const all = await request(app).get('/api/v1/me/usage?limit=100').set('Cookie', cookie).expect(200);
    // New uses arrive between pages: they go on top, the pages that follow do not shift.
    await vault.queries.lookUpHolder(clerk, { holderId: CITIZEN, purpose: '办理社保登记', limit: 10 });
    while (cursor) {
      const page = await request(app).get('/api/v1/me/usage').query({ limit: 2, cursor }).set('Cookie', cookie).expect(200);
      expect(page.body.verifications).toBeNull();
      seen.push(...page.body.items.map((item: { action: string }) => item.action));
      cursor = page.body.nextCursor ?? undefined;
    }
    expect(seen).toEqual(all.body.items.map((item: { action: string }) => item.action));
    const top = await request(app).get('/api/v1/me/usage?limit=1').set('Cookie', cookie).expect(200);
    expect(top.body.items[0]).toMatchObject({ kind: 'lookup', purpose: '办理社保登记' });
  });

  test('a cursor not made by the vault is 400 ERR_STORE_CURSOR_INVALID', async () => {
    for (const cursor of ['abc', Buffer.from('u1.-5').toString('base64url'), Buffer.from('u1.0').toString('base64url'), 'x'.repeat(41)]) {
      const res = await request(app).get('/api/v1/me/usage').query({ cursor }).set('Cookie', cookie);
      expect([res.status, res.body.code]).toEqual([400, expect.stringMatching(/^ERR_(STORE_CURSOR|QUERY)_INVALID$/)]);
    }
  });

  test('anonymous verifications by QR link are counted per license, never identified, and shown on the first page', async () => {
    const [license] = mine;
    for (let i = 0; i < 3; i += 1) await request(app).get(`/v/${license!.identifier}?c=${license!.verificationCode}`).set('Accept', 'application/json').expect(200);
    await request(app).get(`/v/${license!.identifier}?c=WRONGCODE0000000000000`).set('Accept', 'application/json');
    const before = (await vault.store.audit.last())!.seq;
    expect(await tally.flush()).toBe(1);
    await expect(entriesAfter(before)).resolves.toEqual([]);
    const res = await request(app).get('/api/v1/me/usage').set('Cookie', cookie).expect(200);
    expect(res.body.verifications).toEqual(
      mine.map((held) => ({ identifier: held.identifier, licenseNumber: held.licenseNumber, typeName: '教师资格证书', count: held.identifier === license!.identifier ? 3 : 0 })),
    );
  });
});
