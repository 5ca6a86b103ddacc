import type { VaultStore } from '../../src/composition/vault-store.js';
import type { AccountRecord } from '../../src/modules/auth/index.js';
import type { StaffSessionRecord } from '../../src/modules/staff/index.js';

const session = (tokenHash: string, changes: Partial<StaffSessionRecord> = {}): StaffSessionRecord => ({
  tokenHash,
  username: 'wangfang',
  role: 'clerk',
  department: '11100000000013338W',
  tokenVersion: 1,
  createdAt: '2026-11-21T08:00:00.000Z',
  lastSeenAt: '2026-11-21T08:00:00.000Z',
  expiresAt: '2026-11-21T16:00:00.000Z',
  ...changes,
});

const WINDOW_START = '2026-11-21T08:00:00.000Z';
const STALE_BEFORE_START = '2026-11-21T07:45:00.000Z';

/** Staff sessions, failed staff sign-ins and person accounts: part of every store's contract (called inside runStoreContract, with the test's fresh store). */
export function staffContract(store: () => VaultStore): void {
  describe('staff sessions', () => {
    test('a session is found by its token hash, touched, and gone after delete', async () => {
      const clerk = session('a'.repeat(64));
      const auditor = session('b'.repeat(64), { username: 'zhoujie', role: 'auditor', department: null, tokenVersion: 3 });
      await store().staffSessions.insert(clerk);
      await store().staffSessions.insert(auditor);
      await expect(store().staffSessions.get(clerk.tokenHash)).resolves.toEqual(clerk);
      await expect(store().staffSessions.get(auditor.tokenHash)).resolves.toEqual(auditor);
      await expect(store().staffSessions.get('c'.repeat(64))).resolves.toBeNull();
      await expect(store().staffSessions.insert({ ...clerk, username: 'other' })).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'tokenHash' } });
      await store().staffSessions.touch(clerk.tokenHash, '2026-11-21T08:05:00.000Z');
      await store().staffSessions.touch('c'.repeat(64), '2026-11-21T08:05:00.000Z');
      await expect(store().staffSessions.get(clerk.tokenHash)).resolves.toEqual({ ...clerk, lastSeenAt: '2026-11-21T08:05:00.000Z' });
      await expect(store().staffSessions.delete(clerk.tokenHash)).resolves.toBe(1);
      await expect(store().staffSessions.delete(clerk.tokenHash)).resolves.toBe(0);
      await expect(store().staffSessions.get(clerk.tokenHash)).resolves.toBeNull();
      await expect(store().staffSessions.get(auditor.tokenHash)).resolves.toEqual(auditor);
    });

    test("signing out everywhere removes every session of the account and no one else's", async () => {
      await store().staffSessions.insert(session('1'.repeat(64)));
      await store().staffSessions.insert(session('2'.repeat(64)));
      await store().staffSessions.insert(session('3'.repeat(64), { username: 'liqiang', role: 'issuer' }));
      await expect(store().staffSessions.deleteOfAccount('wangfang')).resolves.toBe(2);
      await expect(store().staffSessions.deleteOfAccount('wangfang')).resolves.toBe(0);
      await expect(store().staffSessions.get('3'.repeat(64))).resolves.not.toBeNull();
    });

    test('sessions that ended in all or went idle are swept; live ones stay', async () => {
      await store().staffSessions.insert(session('1'.repeat(64), { expiresAt: '2026-11-21T08:30:00.000Z', lastSeenAt: '2026-11-21T08:29:00.000Z' }));
      await store().staffSessions.insert(session('2'.repeat(64), { lastSeenAt: '2026-11-21T08:15:00.000Z' }));
      await store().staffSessions.insert(session('3'.repeat(64), { lastSeenAt: '2026-11-21T08:16:00.000Z' }));
      await expect(store().staffSessions.deleteExpired('2026-11-21T08:30:00.000Z', '2026-11-21T08:15:00.000Z')).resolves.toBe(2);
      await expect(store().staffSessions.get('3'.repeat(64))).resolves.not.toBeNull();
      await expect(store().staffSessions.deleteExpired('2026-11-21T08:30:00.000Z', '2026-11-21T08:15:00.000Z')).resolves.toBe(0);
    });

    test('hostile token hashes and names are refused, not turned into queries', async () => {
      const hostile = { $ne: null } as unknown as string;
      await expect(store().staffSessions.get(hostile)).rejects.toThrow();
      await expect(store().staffSessions.delete(hostile)).rejects.toThrow();
      await expect(store().staffSessions.deleteOfAccount(hostile)).rejects.toThrow();
      await expect(store().staffSignInFailures.get(hostile)).rejects.toThrow();
      await expect(store().staffSignInFailures.addFailure(hostile, WINDOW_START, STALE_BEFORE_START)).rejects.toThrow();
    });
  });

  describe('failed staff sign-ins', () => {
    test('failures count up within a window, per name as typed; a stale window starts again at 1; clear forgets', async () => {
      await expect(store().staffSignInFailures.get('wangfang')).resolves.toBeNull();
      await expect(store().staffSignInFailures.addFailure('wangfang', WINDOW_START, STALE_BEFORE_START)).resolves.toEqual({ count: 1, windowStart: WINDOW_START });
      await expect(store().staffSignInFailures.addFailure('wangfang', '2026-11-21T08:01:00.000Z', '2026-11-21T07:46:00.000Z')).resolves.toEqual({
        count: 2,
        windowStart: WINDOW_START,
      });
      await expect(store().staffSignInFailures.addFailure('WangFang', '2026-11-21T08:01:00.000Z', '2026-11-21T07:46:00.000Z')).resolves.toEqual({
        count: 1,
        windowStart: '2026-11-21T08:01:00.000Z',
      });
      await expect(store().staffSignInFailures.get('wangfang')).resolves.toEqual({ count: 2, windowStart: WINDOW_START });
      await expect(store().staffSignInFailures.addFailure('wangfang', '2026-11-21T08:15:00.000Z', WINDOW_START)).resolves.toEqual({
        count: 1,
        windowStart: '2026-11-21T08:15:00.000Z',
      });
      await store().staffSignInFailures.clear('wangfang');
      await store().staffSignInFailures.clear('wangfang');
      await expect(store().staffSignInFailures.get('wangfang')).resolves.toBeNull();
    });

    test('failures counted at once all count (several nodes, one name)', async () => {
      const counts = await Promise.all(Array.from({ length: 8 }, () => store().staffSignInFailures.addFailure('liqiang', WINDOW_START, STALE_BEFORE_START)));
      expect(counts.map((counted) => counted.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await expect(store().staffSignInFailures.get('liqiang')).resolves.toEqual({ count: 8, windowStart: WINDOW_START });
    });

    test('passed windows are swept', async () => {
      await store().staffSignInFailures.addFailure('a', '2026-11-21T08:00:00.000Z', STALE_BEFORE_START);
      await store().staffSignInFailures.addFailure('b', '2026-11-21T08:10:00.000Z', STALE_BEFORE_START);
      await expect(store().staffSignInFailures.deleteStale('2026-11-21T08:00:00.000Z')).resolves.toBe(1);
      await expect(store().staffSignInFailures.get('a')).resolves.toBeNull();
      await expect(store().staffSignInFailures.get('b')).resolves.not.toBeNull();
    });
  });

  describe('person accounts', () => {
    test('the kind and the TOTP enrolment are kept, changed and removed as written', async () => {
      const at = '2026-11-21T08:00:00.000Z';
      const person: AccountRecord = {
        clientId: 'zhaomin',
        kind: 'person',
        role: 'sysadmin',
        department: null,
        displayName: '赵敏',
        secretHash: 'scrypt$x',
        disabled: false,
        pending: false,
        tokenVersion: 1,
        totp: { sealedSecret: 'c2VhbGVk', enrolledAt: at, lastStep: 59_000_000 },
        createdAt: at,
        updatedAt: at,
      };
      await store().accounts.insert(person);
      await expect(store().accounts.get('zhaomin')).resolves.toEqual(person);
      await store().accounts.update({ ...person, totp: { ...person.totp!, lastStep: 59_000_001 } });
      await expect(store().accounts.get('zhaomin')).resolves.toEqual({ ...person, totp: { ...person.totp!, lastStep: 59_000_001 } });
      const { totp: _removed, ...withoutTotp } = person;
      await store().accounts.update(withoutTotp);
      await expect(store().accounts.get('zhaomin')).resolves.toEqual(withoutTotp);
    });
  });
}
