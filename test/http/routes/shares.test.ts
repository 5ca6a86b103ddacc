import type { Express } from 'express';
import request from 'supertest';
import type { AuditEntry } from '../../../src/modules/audit/index.js';
import { LicenseLifecycle, type LicenseRecord } from '../../../src/modules/licenses/index.js';
import type { ShareCopyRequest } from '../../../src/modules/shares/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { holderSession } from '../../support/holder-session.js';
import { CreatedShare, Share, SharedLicenses, ShareList } from '../../../src/http/schemas/shares.js';
import { capturedLogger } from '../../support/log-capture.js';
import { mountedApp } from '../../support/mounted-app.js';
import { openVaultHarness, PUBLIC_URL, type VaultHarness } from '../../support/vault-harness.js';

const CITIZEN = '11010519491231002X';
const OTHER_CITIZEN = '440524188001010014';
const ISSUER = { clientId: 'issuer-direct', role: 'issuer', department: TEST_DEPARTMENT.creditCode } as const;
const START = '2026-11-21T02:00:00Z';

/** Entries written after `seq`. */
async function auditAfter(vault: VaultHarness, seq: number): Promise<readonly AuditEntry[]> {
  return vault.store.audit.list(seq, 1000);
}

async function lastSeq(vault: VaultHarness): Promise<number> {
  return (await vault.store.audit.last())?.seq ?? 0;
}

describe('share links over HTTP', () => {
  let vault: VaultHarness;
  let app: Express;
  let log: ReturnType<typeof capturedLogger>;
  let mine: LicenseRecord[];
  let theirs: LicenseRecord;
  let cookie: string;
  const copiesAsked: ShareCopyRequest[] = [];

  const create = (body: Record<string, unknown>, as = cookie) => request(app).post('/api/v1/me/shares').set('Cookie', as).set('Origin', PUBLIC_URL).send(body);
  const tokenOf = (link: string) => link.slice(`${PUBLIC_URL}/s/`.length);
  const body = (changes: Record<string, unknown> = {}) => ({ licenses: mine.map((l) => l.identifier), recipient: '某某银行', purpose: '办理住房贷款', ...changes });

  beforeAll(async () => {
    vault = await openVaultHarness(START);
    log = capturedLogger();
    app = mountedApp(vault, {
      logger: log.logger,
      jsonLimitBytes: 1024 * 1024,
      shareCopies: {
        // The annotated copies' own use case is another part's; this stands in for it at the port, so that what the route asks and answers is seen.
        make: async (asked) => {
          copiesAsked.push(asked);
          return { copyId: `copy-${copiesAsked.length}`, pdf: new TextEncoder().encode('%PDF-1.7 copy') };
        },
      },
    });
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const issue = async (id: string, name: string) =>
      (await vault.issuance.issue(ISSUER, { licenseType: teacher.catalogue.typeCode, holder: { type: 'citizen', id, name }, fields: teacher.example.fields })).license;
    mine = [await issue(CITIZEN, '李秀英'), await issue(CITIZEN, '李秀英')];
    theirs = await issue(OTHER_CITIZEN, '王五');
    await new LicenseLifecycle(vault.store, vault.clock).change(ISSUER, mine[1]!.identifier, 'suspend', '核查中');
    cookie = (await holderSession(vault, CITIZEN, { name: '李秀英' })).cookie;
  });
  afterAll(() => vault.close());
  afterEach(() => vault.clock.set(START));

  test('a holder makes a link: shown once, audited as share.create with the fingerprint, purpose, recipient and licenses', async () => {
    const before = await lastSeq(vault);
    const res = await create(body({ lifetimeMinutes: 60 })).expect(201);
    expect(res.body).toMatchObject({
      link: expect.stringMatching(new RegExp(`^${PUBLIC_URL}/s/[A-Za-z0-9_-]{43}$`)),
      expiresAt: '2026-11-21T03:00:00.000Z',
      share: { recipient: '某某银行', purpose: '办理住房贷款', oneTime: false, openCount: 0, state: 'live', licenses: mine.map((l) => l.identifier), revokedAt: null },
    });
    expect(res.headers['cache-control']).toBe('no-store');
    // Every answer parses with the schema the OpenAPI document is made from (strict: no undocumented member).
    expect(CreatedShare.safeParse(res.body).success).toBe(true);
    const entries = await auditAfter(vault, before);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'share.create',
        target: res.body.share.id,
        actor: expect.objectContaining({ id: 'holder:110105********002X', role: 'holder' }),
        details: expect.objectContaining({
          holderFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN }),
          purpose: '办理住房贷款',
          recipient: '某某银行',
          licenses: mine.map((l) => l.identifier),
        }),
      }),
    ]);
    // The store keeps the hash only: nothing stored or audited holds the token.
    expect(JSON.stringify(entries)).not.toContain(tokenOf(res.body.link));
    await expect(vault.store.shares.findById(res.body.share.id)).resolves.not.toHaveProperty('token');
  });

  test.each([
    ['no licenses', { licenses: [] }, 'ERR_REQUEST_INVALID'],
    ['21 licenses', { licenses: Array.from({ length: 21 }, (_, i) => `1.2.156.${i}`) }, 'ERR_REQUEST_INVALID'],
    ['an empty recipient', { recipient: '  ' }, 'ERR_REQUEST_INVALID'],
    ['a recipient of 61 characters', { recipient: '银'.repeat(61) }, 'ERR_REQUEST_INVALID'],
    ['a recipient with markup', { recipient: '<b>某某银行</b>' }, 'ERR_SHARE_RECIPIENT_INVALID'],
    ['a recipient with a right-to-left override', { recipient: '某某\u202e银行' }, 'ERR_SHARE_RECIPIENT_INVALID'],
    ['a meaningless purpose', { purpose: '1234' }, 'ERR_PURPOSE_REQUIRED'],
    ['a lifetime of 9 minutes', { lifetimeMinutes: 9 }, 'ERR_REQUEST_INVALID'],
    ['a lifetime over 30 days', { lifetimeMinutes: 30 * 24 * 60 + 1 }, 'ERR_REQUEST_INVALID'],
    ['a lifetime of 1.5 minutes', { lifetimeMinutes: 90.5 }, 'ERR_REQUEST_INVALID'],
    ['an unknown member', { extra: true }, 'ERR_REQUEST_INVALID'],
    ['an operator for an identifier', { licenses: [{ $ne: null }] }, 'ERR_REQUEST_INVALID'],
  ])('%s: 400 %s, nothing stored or audited', async (_name, changes, code) => {
    const before = await lastSeq(vault);
    const listed = (await request(app).get('/api/v1/me/shares').set('Cookie', cookie).expect(200)).body.items.length;
    expect((await create(body(changes)).expect(400)).body.code).toBe(code);
    expect(await lastSeq(vault)).toBe(before);
    expect((await request(app).get('/api/v1/me/shares').set('Cookie', cookie).expect(200)).body.items).toHaveLength(listed);
  });

  test("another holder's license is the same 404 as none; nothing is shared, and the attempt is audited as denied", async () => {
    const before = await lastSeq(vault);
    const none = await create(body({ licenses: [mine[0]!.identifier, '1.2.156.3005.2.nothing'] })).expect(404);
    const other = await create(body({ licenses: [mine[0]!.identifier, theirs.identifier] })).expect(404);
    expect([none.body.code, other.body.code]).toEqual(['ERR_LICENSE_NOT_FOUND', 'ERR_LICENSE_NOT_FOUND']);
    expect(other.body.detail).toBe(none.body.detail);
    expect(other.body.details).toBeUndefined();
    const entries = await auditAfter(vault, before);
    expect(entries.map((e) => e.action)).toEqual(['holder.access.denied']);
    expect(entries[0]).toMatchObject({
      target: theirs.identifier,
      details: {
        holderFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: OTHER_CITIZEN }),
        requesterFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN }),
        attempted: 'share.create',
      },
    });
  });

  test('without a session: 401; from another origin: 403; nothing made', async () => {
    const before = await lastSeq(vault);
    expect((await request(app).post('/api/v1/me/shares').set('Origin', PUBLIC_URL).send(body()).expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
    expect((await request(app).get('/api/v1/me/shares').expect(401)).body.code).toBe('ERR_HOLDER_SESSION_MISSING');
    expect((await request(app).post('/api/v1/me/shares').set('Cookie', cookie).set('Origin', 'https://evil.example').send(body()).expect(403)).body.code).toBe(
      'ERR_ORIGIN_REFUSED',
    );
    // The 403 is a security event; no share was made.
    expect((await auditAfter(vault, before)).map((e) => e.action)).toEqual(['auth.forbidden']);
  });

  test('the link opens a page: each license with its status, holder masked, the purpose, recipient and expiry; audited as share.open', async () => {
    const created = (await create(body({ lifetimeMinutes: 24 * 60 })).expect(201)).body;
    const before = await lastSeq(vault);
    const res = await request(app)
      .get(`/s/${tokenOf(created.link)}`)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toMatch(/<h1>分享的电子证照/);
    expect(html).toContain('某某银行');
    expect(html).toContain('办理住房贷款');
    expect(html).toContain('2026-11-22 10:00（北京时间');
    expect(html.match(/<section /g)).toHaveLength(2);
    expect(html).toContain(`data-result="authentic"`);
    expect(html).toContain(`data-result="suspended"`);
    expect(html).toContain('有效 In force');
    expect(html).toContain('已暂停 Suspended');
    expect(html).toContain(mine[0]!.licenseNumber);
    expect(html).toContain('李秀英（110105********002X）');
    expect(html).not.toContain(CITIZEN);
    expect(html).not.toContain('核查中');
    for (const license of mine) expect(html).toContain(`href="/s/${tokenOf(created.link)}/copies/${license.identifier}"`);
    expect(html).toContain('下载加注件');
    expect(html).not.toContain('<script');
    const entries = await auditAfter(vault, before);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'share.open',
        target: created.share.id,
        actor: expect.objectContaining({ id: 'anonymous', role: 'anonymous' }),
        details: {
          holderFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN }),
          purpose: '办理住房贷款',
          recipient: '某某银行',
          licenses: mine.map((l) => l.identifier),
          opening: 1,
        },
      }),
    ]);
  });

  test('a program asking for JSON gets the verdicts; openings are counted in the list', async () => {
    const created = (await create(body()).expect(201)).body;
    const res = await request(app)
      .get(`/s/${tokenOf(created.link)}`)
      .set('Accept', 'application/json')
      .expect(200);
    expect(res.body).toEqual({
      recipient: '某某银行',
      purpose: '办理住房贷款',
      expiresAt: '2026-11-28T02:00:00.000Z',
      oneTime: false,
      licenses: [
        { result: 'authentic', valid: true, license: expect.objectContaining({ identifier: mine[0]!.identifier, holderId: '110105********002X', status: 'active' }) },
        { result: 'suspended', valid: false, license: expect.objectContaining({ identifier: mine[1]!.identifier, status: 'suspended' }) },
      ],
    });
    expect(SharedLicenses.safeParse(res.body).success).toBe(true);
    await request(app)
      .get(`/s/${tokenOf(created.link)}`)
      .set('Accept', 'application/json')
      .expect(200);
    const list = (await request(app).get('/api/v1/me/shares').set('Cookie', cookie).expect(200)).body;
    expect(ShareList.safeParse(list).success).toBe(true);
    const listed = list.items.find((s: { id: string }) => s.id === created.share.id);
    expect(listed).toMatchObject({ openCount: 2, firstOpenedAt: '2026-11-21T02:00:00.000Z', state: 'live' });
  });

  test('a one-time link opens once: the second opening is 410 ERR_SHARE_USED with nothing of what it covered, shown to the holder as a refused opening', async () => {
    const created = (await create(body({ oneTime: true })).expect(201)).body;
    const path = `/s/${tokenOf(created.link)}`;
    await request(app).post(path).expect(200);
    const before = await lastSeq(vault);
    const again = await request(app).get(path).expect(410);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
    expect(again.headers['referrer-policy']).toBe('no-referrer');
    expect(again.text).toContain('ERR_SHARE_USED');
    expect(again.text).toContain('只能打开一次');
    for (const secret of ['某某银行', '办理住房贷款', mine[0]!.licenseNumber, mine[0]!.identifier, '李秀英']) expect(again.text).not.toContain(secret);
    const json = await request(app).get(path).set('Accept', 'application/json').expect(410);
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json.body.code).toBe('ERR_SHARE_USED');
    // Written once for the holder's usage record; the repeat from the same client within the minute is only counted.
    expect(await auditAfter(vault, before)).toEqual([
      expect.objectContaining({
        action: 'share.open.refused',
        target: created.share.id,
        actor: expect.objectContaining({ id: 'anonymous', role: 'anonymous' }),
        details: expect.objectContaining({
          code: 'ERR_SHARE_USED',
          holderFingerprint: vault.fingerprinter.fingerprint({ type: 'citizen', value: CITIZEN }),
          recipient: '某某银行',
        }),
      }),
    ]);
  });

  test('a one-time link asked for a page first shows a notice with a button that opens it; neither that nor HEAD uses it up', async () => {
    const once = (await create(body({ oneTime: true })).expect(201)).body;
    const plain = (await create(body())).body;
    const before = await lastSeq(vault);
    const notice = await request(app)
      .get(`/s/${tokenOf(once.link)}`)
      .expect(200);
    expect(notice.text).toContain('此链接只能打开一次');
    expect(notice.text).toMatch(/<form method="post"><button type="submit"[^>]*>查看证照/);
    for (const secret of ['某某银行', '办理住房贷款', mine[0]!.licenseNumber, '李秀英']) expect(notice.text).not.toContain(secret);
    await request(app)
      .head(`/s/${tokenOf(once.link)}`)
      .expect(200);
    await request(app)
      .head(`/s/${tokenOf(plain.link)}`)
      .expect(200);
    expect(await lastSeq(vault)).toBe(before);
    const opened = await request(app)
      .post(`/s/${tokenOf(once.link)}`)
      .expect(200);
    expect(opened.text).toContain('某某银行');
    expect((await auditAfter(vault, before)).map((e) => e.action)).toEqual(['share.open']);
    const listed = (await request(app).get('/api/v1/me/shares').set('Cookie', cookie).expect(200)).body.items as { id: string; openCount: number }[];
    const opens = (id: string) => listed.find((s) => s.id === id)?.openCount;
    expect([opens(once.share.id), opens(plain.share.id)]).toEqual([1, 0]);
  });

  test('two openings of a one-time link at once: exactly one page, one share.open', async () => {
    const created = (await create(body({ oneTime: true })).expect(201)).body;
    const before = await lastSeq(vault);
    const answers = await Promise.all(Array.from({ length: 6 }, () => request(app).post(`/s/${tokenOf(created.link)}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410, 410, 410, 410]);
    expect((await auditAfter(vault, before)).filter((e) => e.action === 'share.open')).toHaveLength(1);
  });

  test('an expired link is 410 ERR_SHARE_EXPIRED; an unknown or malformed one 404 ERR_SHARE_NOT_FOUND, which no holder is told of', async () => {
    const created = (await create(body({ lifetimeMinutes: 10 })).expect(201)).body;
    vault.clock.set('2026-11-21T02:10:00Z');
    const before = await lastSeq(vault);
    const expired = await request(app)
      .get(`/s/${tokenOf(created.link)}`)
      .expect(410);
    expect(expired.text).toContain('ERR_SHARE_EXPIRED');
    expect(expired.text).toContain('已过期');
    for (const token of ['A'.repeat(43), 'short', '%3Cscript%3E', 'A'.repeat(500)]) {
      const res = await request(app).get(`/s/${token}`).expect(404);
      expect(res.text).toContain('ERR_SHARE_NOT_FOUND');
      expect(res.text).not.toContain('<script>');
    }
    expect((await auditAfter(vault, before)).map((e) => [e.action, e.details.code])).toEqual([['share.open.refused', 'ERR_SHARE_EXPIRED']]);
  });

  test('revoking: the link is 410 ERR_SHARE_REVOKED at once, audited as share.revoke; revoking again changes nothing', async () => {
    const created = (await create(body()).expect(201)).body;
    const before = await lastSeq(vault);
    const revoked = await request(app).post(`/api/v1/me/shares/${created.share.id}/revoke`).set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(200);
    expect(revoked.body).toMatchObject({ id: created.share.id, state: 'revoked', revokedAt: '2026-11-21T02:00:00.000Z' });
    expect(Share.safeParse(revoked.body).success).toBe(true);
    expect((await auditAfter(vault, before)).map((e) => [e.action, e.target, e.details.recipient])).toEqual([['share.revoke', created.share.id, '某某银行']]);
    await request(app).post(`/api/v1/me/shares/${created.share.id}/revoke`).set('Cookie', cookie).set('Origin', PUBLIC_URL).expect(200);
    expect((await auditAfter(vault, before)).map((e) => e.action)).toEqual(['share.revoke']);
    const res = await request(app)
      .get(`/s/${tokenOf(created.link)}`)
      .expect(410);
    expect(res.text).toContain('ERR_SHARE_REVOKED');
    expect(
      (
        await request(app)
          .get(`/s/${tokenOf(created.link)}/copies/${mine[0]!.identifier}`)
          .expect(410)
      ).text,
    ).toContain('ERR_SHARE_REVOKED');
  });

  test('another holder cannot revoke a share: 404 ERR_SHARE_NOT_FOUND, as for none, and the link still opens', async () => {
    const created = (await create(body()).expect(201)).body;
    const other = (await holderSession(vault, OTHER_CITIZEN)).cookie;
    for (const id of [created.share.id, 'no-such-share']) {
      expect((await request(app).post(`/api/v1/me/shares/${id}/revoke`).set('Cookie', other).set('Origin', PUBLIC_URL).expect(404)).body.code).toBe('ERR_SHARE_NOT_FOUND');
    }
    expect((await request(app).get('/api/v1/me/shares').set('Cookie', other).expect(200)).body.items).toEqual([]);
    await request(app)
      .get(`/s/${tokenOf(created.link)}`)
      .expect(200);
  });

  test("the holder's list: newest first, live and recently ended marked, no link in it", async () => {
    const listAt = async (instant: string) => {
      vault.clock.set(instant);
      const session = (await holderSession(vault, CITIZEN)).cookie;
      return (await request(app).get('/api/v1/me/shares').set('Cookie', session).expect(200)).body.items as { id: string; state: string }[];
    };
    vault.clock.set('2026-12-01T00:00:00Z');
    const holder = (await holderSession(vault, CITIZEN)).cookie;
    const live = (await create(body(), holder).expect(201)).body.share;
    vault.clock.set('2026-12-01T00:01:00Z');
    const once = (await create(body({ oneTime: true }), holder).expect(201)).body;
    await request(app)
      .post(`/s/${tokenOf(once.link)}`)
      .expect(200);
    vault.clock.set('2026-12-01T00:02:00Z');
    const short = (await create(body({ lifetimeMinutes: 10 }), holder).expect(201)).body.share;
    const items = await listAt('2026-12-01T01:00:00Z');
    expect(items.slice(0, 3).map((s) => [s.id, s.state])).toEqual([
      [short.id, 'expired'],
      [once.share.id, 'used'],
      [live.id, 'live'],
    ]);
    expect(JSON.stringify(items)).not.toContain(tokenOf(once.link));
    // Shares that ended more than 7 days ago are gone from the list; those that ended since stay, marked.
    expect((await listAt('2026-12-09T00:13:00Z')).map((s) => [s.id, s.state])).toEqual([
      [once.share.id, 'used'],
      [live.id, 'expired'],
    ]);
  });

  test("the annotated copy is made for the share's recipient, purpose and expiry; a license it does not cover is 404", async () => {
    const created = (await create(body()).expect(201)).body;
    const token = tokenOf(created.link);
    copiesAsked.length = 0;
    const res = await request(app).get(`/s/${token}/copies/${mine[0]!.identifier}`).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="copy-copy-1.pdf"');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(Buffer.from(res.body as Buffer).toString('latin1')).toBe('%PDF-1.7 copy');
    expect(copiesAsked).toEqual([
      {
        identifier: mine[0]!.identifier,
        recipient: '某某银行',
        purpose: '办理住房贷款',
        validUntil: created.expiresAt,
        holder: { type: 'citizen', value: CITIZEN },
        shareId: created.share.id,
      },
    ]);
    expect((await request(app).get(`/s/${token}/copies/${theirs.identifier}`).expect(404)).text).toContain('ERR_LICENSE_NOT_FOUND');
    expect(
      (
        await request(app)
          .get(`/s/${'B'.repeat(43)}/copies/${mine[0]!.identifier}`)
          .expect(404)
      ).text,
    ).toContain('ERR_SHARE_NOT_FOUND');
    expect(copiesAsked).toHaveLength(1);
  });

  test('a one-time link gives copies for 30 minutes after its opening, then 410 ERR_SHARE_USED', async () => {
    const created = (await create(body({ oneTime: true })).expect(201)).body;
    const token = tokenOf(created.link);
    await request(app).post(`/s/${token}`).expect(200);
    vault.clock.set('2026-11-21T02:29:00Z');
    await request(app).get(`/s/${token}/copies/${mine[1]!.identifier}`).expect(200);
    vault.clock.set('2026-11-21T02:30:00Z');
    expect((await request(app).get(`/s/${token}/copies/${mine[1]!.identifier}`).set('Accept', 'application/json').expect(410)).body.code).toBe('ERR_SHARE_USED');
  });

  test('a copy asked of a one-time link never opened is its one opening', async () => {
    const created = (await create(body({ oneTime: true })).expect(201)).body;
    const token = tokenOf(created.link);
    const before = await lastSeq(vault);
    await request(app).get(`/s/${token}/copies/${mine[0]!.identifier}`).expect(200);
    expect((await auditAfter(vault, before)).map((e) => e.action)).toEqual(['share.open']);
    await request(app).get(`/s/${token}`).expect(410);
  });

  test('the token of a link never reaches the log, whatever the path after it', async () => {
    const created = (await create(body()).expect(201)).body;
    const token = tokenOf(created.link);
    await request(app).get(`/s/${token}`).expect(200);
    await request(app).get(`/S/${token}`).expect(200);
    await request(app).get(`/s/${token}/copies/${mine[0]!.identifier}`).expect(200);
    await request(app).get(`/s/${token}/nowhere`).expect(404);
    await request(app).put(`/s/${token}`).expect(404);
    const lines = log.lines().filter((line) => typeof line.url === 'string' && line.url.toLowerCase().startsWith('/s/'));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.map((line) => line.url)).toEqual(expect.arrayContaining(['/s/[token]', `/s/[token]/copies/${mine[0]!.identifier}`, '/s/[token]/nowhere']));
    expect(log.text()).not.toContain(token);
  });
});

describe('share links are limited per client IP', () => {
  let vault: VaultHarness;
  let app: Express;

  beforeAll(async () => {
    vault = await openVaultHarness(START);
    app = mountedApp(vault, { logger: capturedLogger().logger, jsonLimitBytes: 1024 * 1024, verificationsPerMinute: 3 });
  });
  afterAll(() => vault.close());

  test('the 4th opening in a minute is 429 ERR_RATE_LIMITED, and the minute after opens again', async () => {
    for (let i = 0; i < 3; i += 1)
      await request(app)
        .get(`/s/${'C'.repeat(43)}`)
        .expect(404);
    const limited = await request(app)
      .get(`/s/${'C'.repeat(43)}`)
      .expect(429);
    expect(limited.body.code).toBe('ERR_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('60');
    vault.clock.set('2026-11-21T02:01:00Z');
    await request(app)
      .get(`/s/${'C'.repeat(43)}`)
      .expect(404);
  });

  test('without copies wired, the page offers none and the copy route says so: 503 ERR_SHARE_COPY_UNAVAILABLE', async () => {
    vault.clock.set('2026-11-21T03:00:00Z');
    expect(
      (
        await request(app)
          .get(`/s/${'D'.repeat(43)}/copies/x`)
          .expect(503)
      ).text,
    ).toContain('ERR_SHARE_COPY_UNAVAILABLE');
  });
});
