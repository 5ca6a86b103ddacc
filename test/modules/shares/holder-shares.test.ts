import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import type { HolderPrincipal } from '../../../src/modules/holders/index.js';
import { keyedHolderFingerprinter, type LicenseRecord } from '../../../src/modules/licenses/index.js';
import { HolderShares, recipientOf, SHARE_LIFETIME_MAX_MINUTES, SHARE_LIFETIME_MIN_MINUTES, type ShareCopyRequest, type ShareRefusal } from '../../../src/modules/shares/index.js';
import type { LicenseSummary } from '../../../src/modules/verification/index.js';
import { CITIZEN_A, CITIZEN_B, makeLicense } from '../../fixtures/licenses.js';
import { movableClock } from '../../support/vault-harness.js';

const ME: HolderPrincipal = { holder: { type: 'citizen', value: CITIZEN_A }, name: '张三', sessionId: 'session-1' };
const fingerprinter = keyedHolderFingerprinter({ current: 'k1', keys: new Map([['k1', new Uint8Array(32).fill(7)]]) });

/** The fields of a summary the use case passes on; the verification module builds the real one. */
const summarize = (license: LicenseRecord): LicenseSummary => ({
  licenseType: { code: license.typeCode, name: '教师资格证' },
  identifier: license.identifier,
  licenseNumber: license.licenseNumber,
  issuer: license.issuer,
  holderName: license.holder.name,
  holderId: '110105********002X',
  issuedAt: license.issuedAt,
  validFrom: license.validFrom,
  validUntil: license.validUntil,
  status: license.status === 'active' ? 'active' : license.status,
});

describe('share links', () => {
  let dir: string;
  let store: VaultStore;
  let clock: ReturnType<typeof movableClock>;
  let shares: HolderShares;
  let mine: LicenseRecord;
  let revoked: LicenseRecord;
  let theirs: LicenseRecord;
  const copies: ShareCopyRequest[] = [];
  const ask = (changes: Record<string, unknown> = {}) => ({ licenses: [mine.identifier], recipient: '  某某银行 ', purpose: '办理住房贷款', ...changes });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shares-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    clock = movableClock('2026-11-21T02:00:00Z');
    mine = makeLicense();
    revoked = makeLicense({ status: 'revoked', statusReason: '依法撤销', statusChangedAt: '2026-06-01T00:00:00.000Z' });
    theirs = makeLicense({ holder: { type: 'citizen', number: CITIZEN_B, name: '王五' } });
    for (const license of [mine, revoked, theirs]) await store.licenses.insert(license);
    copies.length = 0;
    shares = new HolderShares({
      store,
      clock,
      fingerprinter,
      summarize,
      copies: { make: async (request) => (copies.push(request), { copyId: 'c1', pdf: new Uint8Array([37, 80, 68, 70]) }) },
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a share lasts 7 days unless told; 10 minutes to 30 days are accepted, nothing outside', async () => {
    await expect(shares.create(ME, ask())).resolves.toMatchObject({ share: { expiresAt: '2026-11-28T02:00:00.000Z', recipient: '某某银行', state: 'live' } });
    await expect(shares.create(ME, ask({ lifetimeMinutes: SHARE_LIFETIME_MIN_MINUTES }))).resolves.toMatchObject({ share: { expiresAt: '2026-11-21T02:10:00.000Z' } });
    await expect(shares.create(ME, ask({ lifetimeMinutes: SHARE_LIFETIME_MAX_MINUTES }))).resolves.toMatchObject({ share: { expiresAt: '2026-12-21T02:00:00.000Z' } });
    for (const lifetimeMinutes of [SHARE_LIFETIME_MIN_MINUTES - 1, SHARE_LIFETIME_MAX_MINUTES + 1, 60.5, Number.NaN, 0, -10]) {
      await expect(shares.create(ME, ask({ lifetimeMinutes }))).rejects.toMatchObject({ code: 'ERR_SHARE_LIFETIME_INVALID' });
    }
    expect(await shares.list(ME)).toHaveLength(3);
  });

  test('each refusal of a new share has its code, and nothing is stored or audited', async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ licenses: [] }, 'ERR_SHARE_LICENSES_INVALID'],
      [{ licenses: Array.from({ length: 21 }, (_, i) => `x${i}`) }, 'ERR_SHARE_LICENSES_INVALID'],
      [{ recipient: '' }, 'ERR_SHARE_RECIPIENT_INVALID'],
      [{ recipient: 'a<b' }, 'ERR_SHARE_RECIPIENT_INVALID'],
      [{ purpose: '....' }, 'ERR_PURPOSE_REQUIRED'],
      [{ licenses: ['1.2.156.nothing'] }, 'ERR_LICENSE_NOT_FOUND'],
    ];
    for (const [changes, code] of refusals) await expect(shares.create(ME, ask(changes))).rejects.toMatchObject({ code });
    await expect(shares.list(ME)).resolves.toEqual([]);
    await expect(store.audit.last()).resolves.toBeNull();
  });

  test('the same license twice is shared once', async () => {
    const { share } = await shares.create(ME, ask({ licenses: [mine.identifier, mine.identifier, revoked.identifier] }));
    expect(share.licenses).toEqual([mine.identifier, revoked.identifier]);
  });

  test("another holder's license: ERR_LICENSE_NOT_FOUND as for none, no share, one holder.access.denied entry", async () => {
    const error = await shares.create(ME, ask({ licenses: [mine.identifier, theirs.identifier] })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND', details: undefined });
    await expect(shares.list(ME)).resolves.toEqual([]);
    const entries = await store.audit.list(0, 10);
    expect(entries.map((e) => [e.action, e.target])).toEqual([['holder.access.denied', theirs.identifier]]);
  });

  test('recipients: trimmed, NFC, ID numbers masked; markup, invisible formatting and over 60 characters refused', () => {
    expect(recipientOf('  某某银行 ')).toBe('某某银行');
    expect(recipientOf('Cafe\u0301')).toBe('Café');
    expect(recipientOf(`人事部 ${CITIZEN_A}`)).toBe('人事部 110105********002X');
    expect(recipientOf('银'.repeat(60))).toBe('银'.repeat(60));
    for (const bad of ['', '   ', '银'.repeat(61), '<script>', 'a\u200bb', 'a\nb', 'a\u2028b'])
      expect(() => recipientOf(bad)).toThrow(expect.objectContaining({ code: 'ERR_SHARE_RECIPIENT_INVALID' }));
  });

  test('opening answers each license’s verdict and is counted and audited; the token is never stored', async () => {
    const { token, share } = await shares.create(ME, ask({ licenses: [mine.identifier, revoked.identifier] }));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await store.shares.findById(share.id))).not.toContain(token);
    const opened = await shares.open(token, { address: '203.0.113.9', requestId: 'r1' });
    expect(opened.licenses.map((l) => [l.result, l.valid, l.license.identifier])).toEqual([
      ['authentic', true, mine.identifier],
      ['revoked', false, revoked.identifier],
    ]);
    expect(opened.share).toMatchObject({ openCount: 1, firstOpenedAt: '2026-11-21T02:00:00.000Z', state: 'live' });
    await expect(store.audit.last()).resolves.toMatchObject({
      action: 'share.open',
      actor: { id: 'anonymous', role: 'anonymous', address: '203.0.113.9', requestId: 'r1' },
      details: { holderFingerprint: fingerprinter.fingerprint(ME.holder), purpose: '办理住房贷款', recipient: '某某银行', opening: 1 },
    });
  });

  test('one code per cause: unknown, expired, revoked, used; none is audited', async () => {
    const plain = await shares.create(ME, ask({ lifetimeMinutes: 10 }));
    const once = await shares.create(ME, ask({ oneTime: true }));
    const withdrawn = await shares.create(ME, ask());
    await shares.open(once.token);
    await shares.revoke(ME, withdrawn.share.id);
    const before = (await store.audit.last())?.seq;
    await expect(shares.open('A'.repeat(43))).rejects.toMatchObject({ code: 'ERR_SHARE_NOT_FOUND' });
    await expect(shares.open('not a token')).rejects.toMatchObject({ code: 'ERR_SHARE_NOT_FOUND' });
    await expect(shares.open(once.token)).rejects.toMatchObject({ code: 'ERR_SHARE_USED' });
    await expect(shares.open(withdrawn.token)).rejects.toMatchObject({ code: 'ERR_SHARE_REVOKED' });
    clock.set('2026-11-21T02:09:59.999Z');
    await expect(shares.open(plain.token)).resolves.toMatchObject({ share: { state: 'live' } });
    clock.set('2026-11-21T02:10:00.000Z');
    await expect(shares.open(plain.token)).rejects.toMatchObject({ code: 'ERR_SHARE_EXPIRED' });
    // A revoked one-time link says revoked, whatever else.
    await shares.revoke(ME, once.share.id);
    await expect(shares.open(once.token)).rejects.toMatchObject({ code: 'ERR_SHARE_REVOKED' });
    expect((await store.audit.list(before ?? 0, 10)).map((e) => e.action)).toEqual(['share.open', 'share.revoke']);
  });

  test('checking a link opens nothing: a one-time link checked stays unopened; a dead link is refused as an opening would be', async () => {
    const once = await shares.create(ME, ask({ oneTime: true }));
    const plain = await shares.create(ME, ask());
    await expect(shares.check(once.token)).resolves.toEqual({ oneTime: true });
    await expect(shares.check(plain.token)).resolves.toEqual({ oneTime: false });
    await expect(shares.check(once.token)).resolves.toEqual({ oneTime: true });
    expect((await store.audit.list(0, 10)).map((e) => e.action)).toEqual(['share.create', 'share.create']);
    await shares.open(once.token);
    await expect(shares.check(once.token)).rejects.toMatchObject({ code: 'ERR_SHARE_USED' });
    await expect(shares.check('B'.repeat(43))).rejects.toMatchObject({ code: 'ERR_SHARE_NOT_FOUND' });
  });

  test('a one-time link opened many times at once opens exactly once', async () => {
    const { token } = await shares.create(ME, ask({ oneTime: true }));
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => shares.open(token)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason.code)).toEqual(Array(9).fill('ERR_SHARE_USED'));
    expect((await store.audit.list(0, 100)).filter((e) => e.action === 'share.open')).toHaveLength(1);
  });

  test("revoking: only the holder's own share, once audited; the list marks it", async () => {
    const { share } = await shares.create(ME, ask());
    const other: HolderPrincipal = { holder: { type: 'citizen', value: CITIZEN_B }, name: null, sessionId: 'session-2' };
    await expect(shares.revoke(other, share.id)).rejects.toMatchObject({ code: 'ERR_SHARE_NOT_FOUND' });
    await expect(shares.revoke(ME, 'nope')).rejects.toMatchObject({ code: 'ERR_SHARE_NOT_FOUND' });
    await expect(shares.revoke(ME, share.id)).resolves.toMatchObject({ state: 'revoked', revokedAt: '2026-11-21T02:00:00.000Z' });
    clock.set('2026-11-21T03:00:00Z');
    await expect(shares.revoke(ME, share.id)).resolves.toMatchObject({ revokedAt: '2026-11-21T02:00:00.000Z' });
    expect((await store.audit.list(0, 10)).map((e) => e.action)).toEqual(['share.create', 'share.revoke']);
    await expect(shares.list(ME)).resolves.toEqual([expect.objectContaining({ id: share.id, state: 'revoked' })]);
    await expect(shares.list(other)).resolves.toEqual([]);
  });

  test("copies: for the share's recipient, purpose and end; a live link only; a license it covers only", async () => {
    const { token, share } = await shares.create(ME, ask({ lifetimeMinutes: 60 }));
    await expect(shares.copy(token, mine.identifier)).resolves.toEqual({ copyId: 'c1', pdf: new Uint8Array([37, 80, 68, 70]) });
    expect(copies).toEqual([{ identifier: mine.identifier, recipient: '某某银行', purpose: '办理住房贷款', validUntil: share.expiresAt, holder: ME.holder, shareId: share.id }]);
    await expect(shares.copy(token, theirs.identifier)).rejects.toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND' });
    clock.set('2026-11-21T03:00:00Z');
    await expect(shares.copy(token, mine.identifier)).rejects.toMatchObject({ code: 'ERR_SHARE_EXPIRED' });
    expect(copies).toHaveLength(1);
  });

  test('copies of a one-time link: 30 minutes after its opening, and never past its end', async () => {
    const { token } = await shares.create(ME, ask({ oneTime: true, lifetimeMinutes: 20 }));
    await shares.open(token);
    clock.set('2026-11-21T02:19:59.000Z');
    await expect(shares.copy(token, mine.identifier)).resolves.toMatchObject({ copyId: 'c1' });
    clock.set('2026-11-21T02:20:00.000Z');
    await expect(shares.copy(token, mine.identifier)).rejects.toMatchObject({ code: 'ERR_SHARE_USED' });
  });

  test('a refused opening of a known link is told with the cause and the share; an unknown token is told to no one', async () => {
    const told: ShareRefusal[] = [];
    const watched = new HolderShares({ store, clock, fingerprinter, summarize, onRefused: async (refusal) => void told.push(refusal) });
    const { token, share } = await watched.create(ME, ask());
    await watched.revoke(ME, share.id);
    const origin = { address: '203.0.113.9', requestId: 'r2' };
    await expect(watched.open(token, origin)).rejects.toMatchObject({ code: 'ERR_SHARE_REVOKED' });
    await expect(watched.open('A'.repeat(43), origin)).rejects.toMatchObject({ code: 'ERR_SHARE_NOT_FOUND' });
    expect(told).toEqual([
      {
        shareId: share.id,
        code: 'ERR_SHARE_REVOKED',
        origin,
        details: { holderFingerprint: fingerprinter.fingerprint(ME.holder), purpose: '办理住房贷款', recipient: '某某银行', licenses: [mine.identifier] },
      },
    ]);
  });

  test('without a copy maker, copies are ERR_SHARE_COPY_UNAVAILABLE and nothing is opened', async () => {
    const plain = new HolderShares({ store, clock, fingerprinter, summarize });
    const { token } = await plain.create(ME, ask({ oneTime: true }));
    expect(plain.makesCopies).toBe(false);
    await expect(plain.copy(token, mine.identifier)).rejects.toMatchObject({ code: 'ERR_SHARE_COPY_UNAVAILABLE' });
    await expect(plain.open(token)).resolves.toMatchObject({ share: { openCount: 1 } });
  });
});
