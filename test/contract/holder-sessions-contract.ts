import type { VaultStore } from '../../src/composition/vault-store.js';
import type { HolderSessionRecord } from '../../src/modules/holders/index.js';
import { CITIZEN_A, ORGANIZATION } from '../fixtures/licenses.js';

const session = (tokenHash: string, expiresAt: string, changes: Partial<HolderSessionRecord> = {}): HolderSessionRecord => ({
  tokenHash,
  holderType: 'citizen',
  holderNumber: CITIZEN_A,
  name: '李秀英',
  createdAt: '2026-11-21T08:00:00.000Z',
  expiresAt,
  ...changes,
});

/** Holder sessions: part of every store's contract (called inside runStoreContract, with the test's fresh store). */
export function holderSessionsContract(store: () => VaultStore): void {
  describe('holder sessions', () => {
    test('a session is found by its token hash, once, and is gone after delete', async () => {
      const citizen = session('a'.repeat(64), '2026-11-21T08:30:00.000Z');
      const company = session('b'.repeat(64), '2026-11-21T08:30:00.000Z', { holderType: 'organization', holderNumber: ORGANIZATION, name: null });
      await store().holderSessions.insert(citizen);
      await store().holderSessions.insert(company);
      await expect(store().holderSessions.get(citizen.tokenHash)).resolves.toEqual(citizen);
      await expect(store().holderSessions.get(company.tokenHash)).resolves.toEqual(company);
      await expect(store().holderSessions.get('c'.repeat(64))).resolves.toBeNull();
      await expect(store().holderSessions.insert({ ...citizen, holderNumber: ORGANIZATION })).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'tokenHash' } });
      await store().holderSessions.delete(citizen.tokenHash);
      await store().holderSessions.delete(citizen.tokenHash);
      await expect(store().holderSessions.get(citizen.tokenHash)).resolves.toBeNull();
      await expect(store().holderSessions.get(company.tokenHash)).resolves.toEqual(company);
    });

    test('expired sessions are swept; live ones stay', async () => {
      await store().holderSessions.insert(session('1'.repeat(64), '2026-11-21T08:10:00.000Z'));
      await store().holderSessions.insert(session('2'.repeat(64), '2026-11-21T08:20:00.000Z'));
      await store().holderSessions.insert(session('3'.repeat(64), '2026-11-21T08:30:00.000Z'));
      await expect(store().holderSessions.deleteExpired('2026-11-21T08:20:00.000Z')).resolves.toBe(2);
      await expect(store().holderSessions.get('2'.repeat(64))).resolves.toBeNull();
      await expect(store().holderSessions.get('3'.repeat(64))).resolves.not.toBeNull();
      await expect(store().holderSessions.deleteExpired('2026-11-21T08:20:00.000Z')).resolves.toBe(0);
    });

    test('a session written in a rolled-back transaction is not kept', async () => {
      const record = session('d'.repeat(64), '2026-11-21T08:30:00.000Z');
      await expect(
        store().transaction(async (tx) => {
          await tx.holderSessions.insert(record);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await expect(store().holderSessions.get(record.tokenHash)).resolves.toBeNull();
    });

    test('hostile token hashes are refused, not turned into queries', async () => {
      const hostile = { $ne: null } as unknown as string;
      await expect(store().holderSessions.get(hostile)).rejects.toThrow();
      await expect(store().holderSessions.delete(hostile)).rejects.toThrow();
    });
  });
}
