import type { VaultStore } from '../../src/composition/vault-store.js';
import type { ShareRecord } from '../../src/modules/shares/index.js';
import { CITIZEN_A, CITIZEN_B, ORGANIZATION } from '../fixtures/licenses.js';

const share = (id: string, changes: Partial<ShareRecord> = {}): ShareRecord => ({
  id,
  tokenHash: id.padEnd(64, 'f').slice(0, 64),
  holderType: 'citizen',
  holderNumber: CITIZEN_A,
  licenses: ['1.2.156.3005.2.A', '1.2.156.3005.2.B'],
  recipient: '某某银行',
  purpose: '办理住房贷款',
  createdAt: '2026-11-21T08:00:00.000Z',
  expiresAt: '2026-11-28T08:00:00.000Z',
  oneTime: false,
  openCount: 0,
  firstOpenedAt: null,
  revokedAt: null,
  ...changes,
});

/** Share links: part of every store's contract (called inside runStoreContract, with the test's fresh store). */
export function sharesContract(store: () => VaultStore): void {
  describe('shares', () => {
    test('a share is found whole by id and by token hash; taken keys are ERR_STORE_DUPLICATE naming the key', async () => {
      const stored = share('a1');
      await store().shares.insert(stored);
      await expect(store().shares.findById('a1')).resolves.toEqual(stored);
      await expect(store().shares.findByTokenHash(stored.tokenHash)).resolves.toEqual(stored);
      await expect(store().shares.findById('zz')).resolves.toBeNull();
      await expect(store().shares.findByTokenHash('0'.repeat(64))).resolves.toBeNull();
      await expect(store().shares.insert({ ...share('a2'), tokenHash: stored.tokenHash })).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'tokenHash' } });
      await expect(store().shares.insert({ ...share('a1'), tokenHash: 'e'.repeat(64) })).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'id' } });
      await expect(store().shares.findById('a2')).resolves.toBeNull();
    });

    test("a holder's list: only theirs, expiring after the cut-off, newest first, at most the limit", async () => {
      await store().shares.insert(share('b1', { createdAt: '2026-11-21T08:00:00.000Z' }));
      await store().shares.insert(share('b2', { createdAt: '2026-11-21T09:00:00.000Z', revokedAt: '2026-11-21T09:30:00.000Z' }));
      await store().shares.insert(share('b3', { createdAt: '2026-11-21T07:00:00.000Z', expiresAt: '2026-11-21T07:30:00.000Z' }));
      await store().shares.insert(share('b4', { createdAt: '2026-11-21T10:00:00.000Z', holderNumber: CITIZEN_B }));
      await store().shares.insert(share('b5', { createdAt: '2026-11-21T11:00:00.000Z', holderType: 'organization', holderNumber: ORGANIZATION }));
      const ids = async (after: string, limit = 10) => (await store().shares.listByHolder('citizen', CITIZEN_A, after, limit)).map((s) => s.id);
      await expect(ids('2026-11-21T07:00:00.000Z')).resolves.toEqual(['b2', 'b1', 'b3']);
      await expect(ids('2026-11-21T07:30:00.000Z')).resolves.toEqual(['b2', 'b1']);
      await expect(ids('2026-11-21T07:00:00.000Z', 1)).resolves.toEqual(['b2']);
      await expect(store().shares.listByHolder('organization', ORGANIZATION, '2026-11-21T07:00:00.000Z', 10)).resolves.toEqual([
        share('b5', { createdAt: '2026-11-21T11:00:00.000Z', holderType: 'organization', holderNumber: ORGANIZATION }),
      ]);
    });

    test('revoking keeps the first revocation time; an unknown id is null', async () => {
      await store().shares.insert(share('c1'));
      await expect(store().shares.revoke('c1', '2026-11-21T09:00:00.000Z')).resolves.toMatchObject({ id: 'c1', revokedAt: '2026-11-21T09:00:00.000Z' });
      await expect(store().shares.revoke('c1', '2026-11-21T10:00:00.000Z')).resolves.toMatchObject({ revokedAt: '2026-11-21T09:00:00.000Z' });
      await expect(store().shares.revoke('nope', '2026-11-21T10:00:00.000Z')).resolves.toBeNull();
    });

    test('an opening counts while the share is open: the first sets firstOpenedAt; revoked, expired or unknown shares count none', async () => {
      const open = share('d1');
      await store().shares.insert(open);
      await expect(store().shares.recordOpening(open.tokenHash, '2026-11-21T09:00:00.000Z')).resolves.toMatchObject({ openCount: 1, firstOpenedAt: '2026-11-21T09:00:00.000Z' });
      await expect(store().shares.recordOpening(open.tokenHash, '2026-11-21T10:00:00.000Z')).resolves.toMatchObject({ openCount: 2, firstOpenedAt: '2026-11-21T09:00:00.000Z' });
      // The instant it expires, it is closed.
      await expect(store().shares.recordOpening(open.tokenHash, open.expiresAt)).resolves.toBeNull();
      const revoked = share('d2', { revokedAt: '2026-11-21T08:30:00.000Z' });
      await store().shares.insert(revoked);
      await expect(store().shares.recordOpening(revoked.tokenHash, '2026-11-21T09:00:00.000Z')).resolves.toBeNull();
      await expect(store().shares.recordOpening('9'.repeat(64), '2026-11-21T09:00:00.000Z')).resolves.toBeNull();
      await expect(store().shares.findById('d1')).resolves.toMatchObject({ openCount: 2 });
      await expect(store().shares.findById('d2')).resolves.toMatchObject({ openCount: 0, firstOpenedAt: null });
    });

    test('a one-time share opened twice at once counts exactly one opening', async () => {
      const once = share('e1', { oneTime: true });
      await store().shares.insert(once);
      const attempts = await Promise.all(Array.from({ length: 8 }, () => store().shares.recordOpening(once.tokenHash, '2026-11-21T09:00:00.000Z')));
      expect(attempts.filter((opened) => opened !== null)).toEqual([expect.objectContaining({ id: 'e1', openCount: 1 })]);
      // In transactions too, as the use case opens it.
      const inTransactions = await Promise.all(
        Array.from({ length: 4 }, () => store().transaction((tx) => tx.shares.recordOpening(share('e2', { oneTime: true }).tokenHash, '2026-11-21T09:00:00.000Z'))),
      );
      expect(inTransactions.every((opened) => opened === null)).toBe(true);
      await store().shares.insert(share('e2', { oneTime: true }));
      const racing = await Promise.all(
        Array.from({ length: 4 }, () => store().transaction((tx) => tx.shares.recordOpening(share('e2', { oneTime: true }).tokenHash, '2026-11-21T09:00:00.000Z'))),
      );
      expect(racing.filter((opened) => opened !== null)).toHaveLength(1);
      await expect(store().shares.findById('e2')).resolves.toMatchObject({ openCount: 1 });
    });

    test('a share written in a rolled-back transaction is not kept, nor an opening counted in one', async () => {
      const stored = share('f1');
      await expect(
        store().transaction(async (tx) => {
          await tx.shares.insert(share('f2'));
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await expect(store().shares.findById('f2')).resolves.toBeNull();
      await store().shares.insert(stored);
      await expect(
        store().transaction(async (tx) => {
          await tx.shares.recordOpening(stored.tokenHash, '2026-11-21T09:00:00.000Z');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await expect(store().shares.findById('f1')).resolves.toMatchObject({ openCount: 0, firstOpenedAt: null });
    });

    test('hostile keys are refused, not turned into queries', async () => {
      const hostile = { $ne: null } as unknown as string;
      await expect(store().shares.findById(hostile)).rejects.toThrow();
      await expect(store().shares.findByTokenHash(hostile)).rejects.toThrow();
      await expect(store().shares.recordOpening(hostile, '2026-11-21T09:00:00.000Z')).rejects.toThrow();
      await expect(store().shares.revoke(hostile, '2026-11-21T09:00:00.000Z')).rejects.toThrow();
      await expect(store().shares.listByHolder('citizen', hostile, '2026-11-21T09:00:00.000Z', 10)).rejects.toThrow();
    });
  });
}
