import type { VaultStore } from '../../src/composition/vault-store.js';
import type { AuthorizationRecord } from '../../src/modules/authorizations/index.js';
import { CITIZEN_A, CITIZEN_B } from '../fixtures/licenses.js';

interface OpenedStore {
  readonly store: VaultStore;
  readonly cleanup: () => Promise<void>;
}

const CREATED = '2026-11-21T08:00:00.000Z';
const EXPIRES = '2026-11-21T08:30:00.000Z';
const DURING = '2026-11-21T08:10:00.000Z';
let counter = 0;

function authorization(overrides: Partial<AuthorizationRecord> = {}): AuthorizationRecord {
  counter += 1;
  return {
    id: `authorization-${counter}`,
    codeHash: counter.toString(16).padStart(64, '0'),
    codeHint: 'F2',
    holder: { type: 'citizen', value: CITIZEN_A },
    licenses: ['1.2.156.3005.2.example.1'],
    licenseTypes: ['11100000000013338W032'],
    office: '11350100MB0000000X',
    officeName: '福州市不动产登记中心',
    serviceItem: '不动产登记',
    purpose: '办理入学登记',
    createdAt: CREATED,
    expiresAt: EXPIRES,
    usesAllowed: 1,
    usesMade: 0,
    redeemedBy: [],
    withdrawnAt: null,
    ...overrides,
  };
}

/** What every store must do with authorizations (授权用证): keep them whole, find them by code hash, take uses atomically. */
export function authorizationsContract(open: () => Promise<OpenedStore>): void {
  describe('authorizations', () => {
    let opened: OpenedStore | undefined;
    let store: VaultStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened?.cleanup();
    });

    test('an inserted authorization is found whole by id and by code hash; unknown keys find nothing', async () => {
      const record = authorization({ office: null, officeName: null, licenses: [], usesAllowed: 3 });
      await store.authorizations.insert(record);
      await expect(store.authorizations.get(record.id)).resolves.toEqual(record);
      await expect(store.authorizations.findByCodeHash(record.codeHash)).resolves.toEqual(record);
      await expect(store.authorizations.get('nothing')).resolves.toBeNull();
      await expect(store.authorizations.findByCodeHash('f'.repeat(64))).resolves.toBeNull();
    });

    test('a taken id or code hash is ERR_STORE_DUPLICATE naming the key, inside a transaction too, and the first is kept', async () => {
      const record = authorization();
      await store.authorizations.insert(record);
      await expect(store.authorizations.insert(authorization({ id: record.id }))).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'id' } });
      await expect(store.authorizations.insert(authorization({ codeHash: record.codeHash }))).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'codeHash' } });
      await expect(store.transaction((tx) => tx.authorizations.insert(authorization({ codeHash: record.codeHash })))).rejects.toMatchObject({
        code: 'ERR_STORE_DUPLICATE',
        details: { key: 'codeHash' },
      });
      await expect(store.authorizations.findByCodeHash(record.codeHash)).resolves.toEqual(record);
    });

    test("a holder's list holds only their authorizations expiring after the instant given, newest first, up to the limit", async () => {
      const older = authorization({ createdAt: '2026-11-21T07:00:00.000Z' });
      const newer = authorization({ createdAt: '2026-11-21T07:30:00.000Z' });
      const ended = authorization({ expiresAt: '2026-11-21T07:59:00.000Z', createdAt: '2026-11-21T07:40:00.000Z' });
      const another = authorization({ holder: { type: 'citizen', value: CITIZEN_B } });
      for (const record of [older, ended, newer, another]) await store.authorizations.insert(record);
      await expect(store.authorizations.listByHolder({ type: 'citizen', value: CITIZEN_A }, CREATED, 10)).resolves.toEqual([newer, older]);
      await expect(store.authorizations.listByHolder({ type: 'citizen', value: CITIZEN_A }, '2026-11-21T07:00:00.000Z', 10)).resolves.toEqual([ended, newer, older]);
      await expect(store.authorizations.listByHolder({ type: 'citizen', value: CITIZEN_A }, CREATED, 1)).resolves.toEqual([newer]);
      await expect(store.authorizations.listByHolder({ type: 'organization', value: CITIZEN_A }, CREATED, 10)).resolves.toEqual([]);
    });

    test('a use is taken only while the authorization is live: not withdrawn, not expired, with a use left', async () => {
      const record = authorization({ usesAllowed: 2 });
      await store.authorizations.insert(record);
      const first = await store.authorizations.redeemOnce(record.id, 'clerk-a', DURING);
      expect(first).toEqual({ ...record, usesMade: 1, redeemedBy: ['clerk-a'] });
      await expect(store.authorizations.redeemOnce(record.id, 'clerk-b', EXPIRES)).resolves.toBeNull();
      await expect(store.authorizations.redeemOnce(record.id, 'clerk-b', DURING)).resolves.toEqual({ ...record, usesMade: 2, redeemedBy: ['clerk-a', 'clerk-b'] });
      await expect(store.authorizations.redeemOnce(record.id, 'clerk-c', DURING)).resolves.toBeNull();
      await expect(store.authorizations.redeemOnce('nothing', 'clerk-c', DURING)).resolves.toBeNull();
      await expect(store.authorizations.get(record.id)).resolves.toMatchObject({ usesMade: 2, redeemedBy: ['clerk-a', 'clerk-b'] });

      const withdrawn = authorization({ usesAllowed: 5 });
      await store.authorizations.insert(withdrawn);
      await expect(store.authorizations.withdraw(withdrawn.id, DURING)).resolves.toEqual({ ...withdrawn, withdrawnAt: DURING });
      await expect(store.authorizations.withdraw(withdrawn.id, EXPIRES)).resolves.toEqual({ ...withdrawn, withdrawnAt: DURING });
      await expect(store.authorizations.redeemOnce(withdrawn.id, 'clerk-a', DURING)).resolves.toBeNull();
      await expect(store.authorizations.withdraw('nothing', DURING)).resolves.toBeNull();
    });

    test('two clerks redeeming a one-use code at once: exactly one wins, in transactions as well as alone', async () => {
      for (const inTransaction of [false, true]) {
        const record = authorization();
        await store.authorizations.insert(record);
        const redeem = (clerk: string) =>
          inTransaction
            ? store.transaction(async (tx) => {
                const found = await tx.authorizations.findByCodeHash(record.codeHash);
                return found && found.usesMade < found.usesAllowed ? tx.authorizations.redeemOnce(found.id, clerk, DURING) : null;
              })
            : store.authorizations.redeemOnce(record.id, clerk, DURING);
        const outcomes = await Promise.all(['clerk-a', 'clerk-b', 'clerk-c', 'clerk-d'].map(redeem));
        const winners = outcomes.filter((outcome) => outcome !== null);
        expect(winners).toHaveLength(1);
        const stored = await store.authorizations.get(record.id);
        expect(stored).toMatchObject({ usesMade: 1, redeemedBy: [winners[0]!.redeemedBy[0]] });
      }
    });

    test('many concurrent redemptions of a several-use code take exactly its uses', async () => {
      const record = authorization({ usesAllowed: 5 });
      await store.authorizations.insert(record);
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.authorizations.redeemOnce(record.id, `clerk-${i}`, DURING)));
      expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(5);
      const stored = await store.authorizations.get(record.id);
      expect(stored?.usesMade).toBe(5);
      expect(new Set(stored?.redeemedBy).size).toBe(5);
    });

    test('a use taken in a transaction that fails is given back', async () => {
      const record = authorization();
      await store.authorizations.insert(record);
      const injected = new Error('injected after the use');
      await expect(
        store.transaction(async (tx) => {
          await tx.authorizations.redeemOnce(record.id, 'clerk-a', DURING);
          throw injected;
        }),
      ).rejects.toBe(injected);
      await expect(store.authorizations.get(record.id)).resolves.toEqual(record);
    });

    test.each([
      ['an operator object', { $ne: null }],
      ['an array', ['x']],
    ])('%s where a key string belongs is refused, never run as a query', async (_name, hostile) => {
      await store.authorizations.insert(authorization());
      const value = hostile as unknown as string;
      await expect(store.authorizations.get(value)).rejects.toThrow();
      await expect(store.authorizations.findByCodeHash(value)).rejects.toThrow();
      await expect(store.authorizations.redeemOnce(value, 'clerk', DURING)).rejects.toThrow();
      await expect(store.authorizations.listByHolder({ type: 'citizen', value }, CREATED, 10)).rejects.toThrow();
    });
  });
}
