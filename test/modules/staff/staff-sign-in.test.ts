import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { otpauthTotp } from '../../../src/adapters/totp/otpauth-totp.js';
import { staffSignInWith, type StaffSignInParts } from '../../../src/composition/staff-sign-in.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import type { StaffSignInSettings } from '../../../src/config/index.js';
import { SecurityEventRecorder } from '../../../src/modules/audit/index.js';
import { disableAccount, rotateSecret, ROLES, type RequestOrigin } from '../../../src/modules/auth/index.js';
import { stepOf, TOUCH_INTERVAL_MS, type OpenedStaffSession, type PendingTotpEnrolment } from '../../../src/modules/staff/index.js';
import { makeDepartment } from '../../fixtures/departments.js';
import { ISSUER } from '../../fixtures/licenses.js';
import { codeAt, createPerson, type TestPerson } from '../../support/staff.js';
import { movableClock } from '../../support/vault-harness.js';

const START = '2026-11-21T02:00:10.000Z';
const ORIGIN: RequestOrigin = { address: '203.0.113.7', requestId: 'req-1' };
const DEFAULTS: StaffSignInSettings = { totpRoles: ROLES, lockoutFailures: 5, lockoutMinutes: 15, idleMinutes: 15, sessionHours: 8 };

describe('staff sign-in', () => {
  let dir: string;
  let store: VaultStore;
  let clock: ReturnType<typeof movableClock>;
  let key: Buffer;
  let staff: StaffSignInParts;
  let clerk: TestPerson;

  const build = (settings: Partial<StaffSignInSettings> = {}) =>
    staffSignInWith({ lookupPolicy: 'consent', staff: { ...DEFAULTS, ...settings } }, key, {
      store,
      clock,
      securityEvents: new SecurityEventRecorder({ audit: store.audit, clock }),
    });
  const signIn = (person: TestPerson, otp?: string) => staff.signIn.signIn({ username: person.username, password: person.password, otp }, ORIGIN);
  const signedIn = async (person: TestPerson, otp = codeAt(person.totpSecret!, clock)) => (await signIn(person, otp)) as OpenedStaffSession;
  const actions = async () => (await store.audit.list(0, 10_000)).filter((entry) => entry.action.startsWith('staff.'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'staff-sign-in-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    clock = movableClock(START);
    key = randomBytes(32);
    await store.departments.insert(makeDepartment());
    staff = build();
    clerk = await createPerson(store, key, { username: 'wangfang', role: 'clerk', department: ISSUER.creditCode });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('password and one-time password', () => {
    test('the right password and code open a session; the token resolves to the person with their role and department', async () => {
      const opened = await signedIn(clerk);
      expect(opened.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(opened.session).toEqual({
        user: { username: 'wangfang', displayName: '测试wangfang', role: 'clerk', department: { creditCode: ISSUER.creditCode, name: ISSUER.name }, totpEnrolled: true },
        idleExpiresAt: '2026-11-21T02:15:10.000Z',
        expiresAt: '2026-11-21T10:00:10.000Z',
        lookupPolicy: 'consent',
      });
      const resolved = await staff.signIn.resolve(opened.token, ORIGIN);
      expect(resolved?.principal).toEqual({ clientId: 'wangfang', role: 'clerk', department: ISSUER.creditCode, origin: ORIGIN });
      const stored = await store.staffSessions.get(hashOf(opened.token));
      expect(stored).toMatchObject({ username: 'wangfang', role: 'clerk', tokenVersion: 1 });
      expect(JSON.stringify(stored)).not.toContain(opened.token);
    });

    test('no code → ERR_STAFF_OTP_REQUIRED; a wrong one, a wrong password or an unknown name → ERR_STAFF_SIGN_IN_FAILED', async () => {
      await expect(signIn(clerk)).rejects.toMatchObject({ code: 'ERR_STAFF_OTP_REQUIRED' });
      const wrong = String((Number(codeAt(clerk.totpSecret!, clock)) + 1) % 1_000_000).padStart(6, '0');
      await expect(signIn(clerk, wrong)).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn({ ...clerk, password: 'not-the-password' }, codeAt(clerk.totpSecret!, clock))).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn({ ...clerk, username: 'nobody' }, '123456')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn({ ...clerk, username: 'Robert"); DROP TABLE' }, '123456')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
    });

    test('a code of the step before or after is accepted (clock drift); two steps away is not', async () => {
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock, -2))).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock, 2))).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock, -1))).resolves.toMatchObject({ status: 'signed-in' });
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock, 1))).resolves.toMatchObject({ status: 'signed-in' });
    });

    test('a code once used is refused, and so is one of an earlier step (replay)', async () => {
      const code = codeAt(clerk.totpSecret!, clock);
      await signedIn(clerk, code);
      await expect(signIn(clerk, code)).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock, -1))).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      expect((await store.accounts.get('wangfang'))?.totp?.lastStep).toBe(stepOf(clock.now()));
      clock.set('2026-11-21T02:00:40.000Z');
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock))).resolves.toMatchObject({ status: 'signed-in' });
    });

    test('the secret is sealed at rest, bound to its account: copied to another account it opens nothing', async () => {
      const stored = await store.accounts.get('wangfang');
      expect(JSON.stringify(stored)).not.toContain(clerk.totpSecret);
      const other = await createPerson(store, key, { username: 'liqiang', role: 'issuer', department: ISSUER.creditCode });
      const liqiang = (await store.accounts.get('liqiang'))!;
      await store.accounts.update({ ...liqiang, totp: stored!.totp! });
      await expect(signIn(other, codeAt(clerk.totpSecret!, clock))).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
    });

    test('service accounts, disabled accounts and accounts waiting for approval cannot sign in', async () => {
      const service = await createPerson(store, key, { username: 'svc-clerk', role: 'clerk', kind: 'service', enrolled: false });
      await expect(signIn(service, '123456')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      const auditor = await createPerson(store, key, { username: 'zhoujie', role: 'auditor' });
      await createPerson(store, key, { username: 'sunli', role: 'secadmin' });
      await createPerson(store, key, { username: 'sunli2', role: 'secadmin' });
      await createPerson(store, key, { username: 'auditor2', role: 'auditor' });
      await disableAccount({ store, clock }, { id: 'sunli', role: 'secadmin' }, 'zhoujie');
      await expect(signIn(auditor, codeAt(auditor.totpSecret!, clock))).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      const reset = await rotateSecret({ store, clock }, { id: 'sunli', role: 'secadmin' }, 'sunli2');
      await expect(signIn({ username: 'sunli2', password: reset.clientSecret, totpSecret: null })).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
    });
  });

  describe('enrolment of an authenticator app', () => {
    let issuer: TestPerson;
    beforeEach(async () => {
      issuer = await createPerson(store, key, { username: 'liqiang', role: 'issuer', department: ISSUER.creditCode, enrolled: false });
    });

    const begin = async () => (await signIn(issuer)) as PendingTotpEnrolment;

    test('the right password of someone not enrolled gives an enrolment; its first code stores the sealed secret and opens a session', async () => {
      const enrolment = await begin();
      expect(enrolment).toMatchObject({ status: 'enrol', secret: expect.stringMatching(/^[A-Z2-7]{32}$/) });
      expect(enrolment.otpauthUri).toBe(otpauthTotp.uri(enrolment.secret, '电子证照库', 'liqiang'));
      expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*liqiang\?.*algorithm=SHA1&digits=6&period=30/);
      expect((await store.accounts.get('liqiang'))?.totp).toBeUndefined();
      const opened = await staff.signIn.enrol({ ticket: enrolment.ticket, otp: otpauthTotp.codeAt(enrolment.secret, stepOf(clock.now())) }, ORIGIN);
      expect(opened.session.user.totpEnrolled).toBe(true);
      expect((await store.accounts.get('liqiang'))?.totp).toEqual({ sealedSecret: expect.any(String), enrolledAt: START, lastStep: stepOf(clock.now()) });
      await expect(signIn(issuer)).rejects.toMatchObject({ code: 'ERR_STAFF_OTP_REQUIRED' });
      expect((await actions()).map((entry) => entry.action)).toEqual(['staff.totp.enrolled', 'staff.sign-in', 'staff.sign-in.refused']);
    });

    test('a wrong code, a changed ticket, one past its ten minutes or one begun before a secret reset is refused and stores nothing', async () => {
      const enrolment = await begin();
      const code = () => otpauthTotp.codeAt(enrolment.secret, stepOf(clock.now()));
      await expect(staff.signIn.enrol({ ticket: enrolment.ticket, otp: code() === '000000' ? '111111' : '000000' }, ORIGIN)).rejects.toMatchObject({
        code: 'ERR_STAFF_ENROLMENT_INVALID',
      });
      const bytes = Buffer.from(enrolment.ticket, 'base64url');
      bytes.writeUInt8(bytes.readUInt8(20) ^ 1, 20);
      await expect(staff.signIn.enrol({ ticket: bytes.toString('base64url'), otp: code() }, ORIGIN)).rejects.toMatchObject({ code: 'ERR_STAFF_ENROLMENT_INVALID' });
      await expect(staff.signIn.enrol({ ticket: 'not a ticket', otp: code() }, ORIGIN)).rejects.toMatchObject({ code: 'ERR_STAFF_ENROLMENT_INVALID' });
      const otherKey = staffSignInWith({ lookupPolicy: 'number', staff: DEFAULTS }, randomBytes(32), {
        store,
        clock,
        securityEvents: new SecurityEventRecorder({ audit: store.audit, clock }),
      });
      await expect(otherKey.signIn.enrol({ ticket: enrolment.ticket, otp: code() }, ORIGIN)).rejects.toMatchObject({ code: 'ERR_STAFF_ENROLMENT_INVALID' });
      clock.set('2026-11-21T02:10:10.000Z');
      await expect(staff.signIn.enrol({ ticket: enrolment.ticket, otp: code() }, ORIGIN)).rejects.toMatchObject({ code: 'ERR_STAFF_ENROLMENT_INVALID' });
      clock.set(START);
      await createPerson(store, key, { username: 'sunli', role: 'secadmin' });
      await rotateSecret({ store, clock }, { id: 'sunli', role: 'secadmin' }, 'liqiang');
      await expect(staff.signIn.enrol({ ticket: enrolment.ticket, otp: code() }, ORIGIN)).rejects.toMatchObject({ code: 'ERR_STAFF_ENROLMENT_INVALID' });
      expect((await store.accounts.get('liqiang'))?.totp).toBeUndefined();
    });

    test('a secret reset clears the enrolment: the person enrols again', async () => {
      await createPerson(store, key, { username: 'sunli', role: 'secadmin' });
      const reset = await rotateSecret({ store, clock }, { id: 'sunli', role: 'secadmin' }, 'wangfang');
      expect(reset.account).toMatchObject({ kind: 'person', totpEnrolled: false, pending: true });
      expect((await store.accounts.get('wangfang'))?.totp).toBeUndefined();
    });

    test('someone whose role needs no one-time password and who has none signs in with the password alone', async () => {
      staff = build({ totpRoles: ['sysadmin', 'secadmin', 'auditor'] });
      const opened = (await signIn(issuer)) as OpenedStaffSession;
      expect(opened).toMatchObject({ status: 'signed-in', session: { user: { username: 'liqiang', totpEnrolled: false } } });
      await expect(signIn(clerk)).rejects.toMatchObject({ code: 'ERR_STAFF_OTP_REQUIRED' });
    });
  });

  describe('lockout', () => {
    test('five failures in fifteen minutes lock the name, even for the right password, until the window passes; audited once', async () => {
      for (let i = 1; i <= 4; i++) await expect(signIn({ ...clerk, password: `wrong-${i}` }, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      clock.set('2026-11-21T02:05:10.000Z');
      await expect(signIn({ ...clerk, password: 'wrong-5' }, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_LOCKED', details: { retryAfterSeconds: 600 } });
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock))).rejects.toMatchObject({ code: 'ERR_STAFF_LOCKED', details: { retryAfterSeconds: 600 } });
      clock.set('2026-11-21T02:15:09.000Z');
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock))).rejects.toMatchObject({ code: 'ERR_STAFF_LOCKED', details: { retryAfterSeconds: 1 } });
      clock.set('2026-11-21T02:15:10.000Z');
      await expect(signIn(clerk, codeAt(clerk.totpSecret!, clock))).resolves.toMatchObject({ status: 'signed-in' });
      const lockouts = (await actions()).filter((entry) => entry.action === 'staff.lockout');
      expect(lockouts).toEqual([
        expect.objectContaining({ target: 'wangfang', actor: { id: 'wangfang', role: 'clerk', ...ORIGIN }, details: { failures: 5, windowSeconds: 900, retryAfterSeconds: 600 } }),
      ]);
    });

    test('a success clears the count; failures of an earlier window are forgotten', async () => {
      for (let i = 0; i < 4; i++) await expect(signIn({ ...clerk, password: 'wrong' }, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await signedIn(clerk);
      for (let i = 0; i < 4; i++) await expect(signIn({ ...clerk, password: 'wrong' }, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      clock.set('2026-11-21T02:15:11.000Z');
      await expect(signIn({ ...clerk, password: 'wrong' }, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(store.staffSignInFailures.get('wangfang')).resolves.toEqual({ count: 1, windowStart: '2026-11-21T02:15:11.000Z' });
    });

    test('unknown names lock the same way, so a lock says nothing about which names exist', async () => {
      const ghost = { username: 'ghost', password: 'whatever', totpSecret: null };
      for (let i = 0; i < 4; i++) await expect(signIn(ghost, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      await expect(signIn(ghost, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_LOCKED' });
      const lockout = (await actions()).find((entry) => entry.action === 'staff.lockout');
      expect(lockout).toMatchObject({ target: 'ghost', actor: { id: 'anonymous', role: 'anonymous' } });
    });
  });

  describe('sessions', () => {
    test('a session ends after fifteen minutes unused; use renews it, written at most once a minute', async () => {
      const { token } = await signedIn(clerk);
      const hash = hashOf(token);
      clock.set('2026-11-21T02:00:50.000Z');
      expect((await staff.signIn.resolve(token, ORIGIN))?.session.idleExpiresAt).toBe('2026-11-21T02:15:10.000Z');
      expect((await store.staffSessions.get(hash))?.lastSeenAt).toBe(START);
      clock.set(new Date(Date.parse(START) + TOUCH_INTERVAL_MS).toISOString());
      expect((await staff.signIn.resolve(token, ORIGIN))?.session.idleExpiresAt).toBe('2026-11-21T02:16:10.000Z');
      expect((await store.staffSessions.get(hash))?.lastSeenAt).toBe('2026-11-21T02:01:10.000Z');
      clock.set('2026-11-21T02:16:09.999Z');
      await expect(staff.signIn.resolve(token, ORIGIN)).resolves.not.toBeNull();
      // Renewed at 02:16:09.999: it ends at 02:31:09.999.
      clock.set('2026-11-21T02:31:09.998Z');
      await expect(staff.signIn.resolve(token, ORIGIN)).resolves.not.toBeNull();
      clock.set('2026-11-21T02:46:09.998Z');
      await expect(staff.signIn.resolve(token, ORIGIN)).resolves.toBeNull();
      await expect(store.staffSessions.get(hash)).resolves.toBeNull();
    });

    test('a session used all along ends eight hours after sign-in', async () => {
      const { token } = await signedIn(clerk);
      for (let minutes = 10; minutes < 480; minutes += 10) {
        clock.set(new Date(Date.parse(START) + minutes * 60_000).toISOString());
        await expect(staff.signIn.resolve(token, ORIGIN)).resolves.not.toBeNull();
      }
      clock.set('2026-11-21T09:59:10.000Z');
      expect((await staff.signIn.resolve(token, ORIGIN))?.session.idleExpiresAt).toBe('2026-11-21T10:00:10.000Z');
      clock.set('2026-11-21T10:00:10.000Z');
      await expect(staff.signIn.resolve(token, ORIGIN)).resolves.toBeNull();
    });

    test('a session dies when its account is disabled, or its token version changes (secret reset, role or department changed); the same rule as bearer tokens', async () => {
      await createPerson(store, key, { username: 'sunli', role: 'secadmin' });
      await createPerson(store, key, { username: 'wangfang2', role: 'clerk' });
      const secadmin = { id: 'sunli', role: 'secadmin' };
      const first = await signedIn(clerk);
      await disableAccount({ store, clock }, secadmin, 'wangfang');
      await expect(staff.signIn.resolve(first.token, ORIGIN)).resolves.toBeNull();
      await expect(store.staffSessions.get(hashOf(first.token))).resolves.toBeNull();
      const account = (await store.accounts.get('wangfang'))!;
      await store.accounts.update({ ...account, disabled: false });
      clock.set('2026-11-21T02:00:40.000Z');
      const second = await signedIn(clerk);
      await store.accounts.update({ ...(await store.accounts.get('wangfang'))!, tokenVersion: 99 });
      await expect(staff.signIn.resolve(second.token, ORIGIN)).resolves.toBeNull();
    });

    test('sign-out ends one session, sign-out everywhere every session of the account; both audited', async () => {
      const one = await signedIn(clerk);
      clock.set('2026-11-21T02:00:40.000Z');
      const two = await signedIn(clerk);
      clock.set('2026-11-21T02:01:10.000Z');
      const three = await signedIn(clerk);
      await expect(staff.signIn.signOut(one.token, ORIGIN)).resolves.toBe(1);
      await expect(staff.signIn.signOut(one.token, ORIGIN)).resolves.toBe(0);
      await expect(staff.signIn.resolve(one.token, ORIGIN)).resolves.toBeNull();
      const principal = (await staff.signIn.resolve(two.token, ORIGIN))!.principal;
      await expect(staff.signIn.signOutEverywhere(principal)).resolves.toBe(2);
      await expect(staff.signIn.resolve(three.token, ORIGIN)).resolves.toBeNull();
      const written = (await actions()).filter((entry) => entry.action.startsWith('staff.sign-out'));
      expect(written).toEqual([
        expect.objectContaining({ action: 'staff.sign-out', target: 'wangfang', actor: { id: 'wangfang', role: 'clerk', ...ORIGIN } }),
        expect.objectContaining({ action: 'staff.sign-out-everywhere', target: 'wangfang', details: { sessionsEnded: 2 } }),
      ]);
    });

    test('sweeping forgets idle and ended sessions and passed lockout windows', async () => {
      const idle = await signedIn(clerk);
      await expect(signIn({ ...clerk, username: 'ghost' }, '000000')).rejects.toMatchObject({ code: 'ERR_STAFF_SIGN_IN_FAILED' });
      clock.set('2026-11-21T02:14:10.000Z');
      const live = await signedIn(clerk);
      clock.set('2026-11-21T02:15:10.000Z');
      await expect(staff.sessions.sweep()).resolves.toBe(1);
      await expect(staff.lockout.sweep()).resolves.toBe(1);
      await expect(store.staffSessions.get(hashOf(idle.token))).resolves.toBeNull();
      await expect(store.staffSessions.get(hashOf(live.token))).resolves.not.toBeNull();
    });

    test('malformed tokens resolve to no one', async () => {
      for (const token of ['', 'short', 'x'.repeat(43), `${'a'.repeat(42)}=`, 'a'.repeat(500)]) await expect(staff.signIn.resolve(token, ORIGIN)).resolves.toBeNull();
    });
  });
});
function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
