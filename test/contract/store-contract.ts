import { auditActor, chainAuditEntry, findAuditChainBreak, rekeyAuditLog, verifyAuditLog, type AuditDraft, type AuditEntry } from '../../src/modules/audit/index.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import type { LicenseRecord } from '../../src/modules/licenses/index.js';
import { CITIZEN_A, CITIZEN_B, ORGANIZATION, fileFor, makeLicense, TYPE_CODE, ISSUER } from '../fixtures/licenses.js';
import { makeDepartment } from '../fixtures/departments.js';
import { auditHolderContract } from './audit-holder-contract.js';
import { holderSessionsContract } from './holder-sessions-contract.js';
import { sharesContract } from './shares-contract.js';
import { authorizationsContract } from './authorizations-contract.js';
import { copiesContract } from './copies-contract.js';
import { staffContract } from './staff-contract.js';

export interface OpenedStore {
  readonly store: VaultStore;
  readonly cleanup: () => Promise<void>;
}

const RESERVED_AT = '2026-11-21T08:00:00.000Z';
const SERIALS = { scope: TYPE_CODE, issuerCreditCode: ISSUER.creditCode };
const NUMBERS = { scope: 'license-number:2026', issuerCreditCode: ISSUER.creditCode };

const audit = (action: string, target: string | null = null): AuditDraft => ({
  at: '2026-11-21T08:00:00.000Z',
  actor: { id: 'issuer-1', role: 'issuer' },
  action,
  target,
  details: { note: 'contract' },
});

/**
 * The behaviour every VaultStore must have. Each test opens a fresh, empty
 * store; adapters add only what is specific to their engine.
 */
export function runStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store contract`, () => {
    authorizationsContract(open);
    let opened: OpenedStore | undefined;
    let store: VaultStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened?.cleanup();
    });

    describe('licenses', () => {
      test('an inserted record is found whole by identifier, by SHA-256 and by license number', async () => {
        const record = makeLicense();
        await store.licenses.insert(record);
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toEqual(record);
        await expect(store.licenses.findBySha256(record.sha256)).resolves.toEqual(record);
        await expect(store.licenses.findByLicenseNumber(ISSUER.creditCode, record.licenseNumber)).resolves.toEqual(record);
        await expect(store.licenses.findAllByLicenseNumber(record.licenseNumber)).resolves.toEqual([record]);
        await expect(store.licenses.count()).resolves.toBe(1);
      });

      test('unknown keys find nothing', async () => {
        await store.licenses.insert(makeLicense());
        await expect(store.licenses.findByIdentifier('1.2.156.3005.2.nothing')).resolves.toBeNull();
        await expect(store.licenses.findBySha256('0'.repeat(64))).resolves.toBeNull();
        await expect(store.licenses.findByLicenseNumber(ISSUER.creditCode, 'NO-SUCH')).resolves.toBeNull();
      });

      test('a taken identifier is ERR_STORE_DUPLICATE naming the key, and the first record is kept', async () => {
        const record = makeLicense();
        await store.licenses.insert(record);
        const clash = { ...makeLicense(), identifier: record.identifier };
        await expect(store.licenses.insert(clash)).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'identifier' } });
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toEqual(record);
      });

      test('a taken file hash, license number or serial is ERR_STORE_DUPLICATE naming the key', async () => {
        const record = makeLicense();
        await store.licenses.insert(record);
        await expect(store.licenses.insert(makeLicense({ sha256: record.sha256 }))).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'sha256' } });
        await expect(store.licenses.insert(makeLicense({ licenseNumber: record.licenseNumber }))).rejects.toMatchObject({
          code: 'ERR_STORE_DUPLICATE',
          details: { key: 'licenseNumber' },
        });
        await expect(store.licenses.insert(makeLicense({ serial: record.serial }))).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'serial' } });
        await expect(store.licenses.count()).resolves.toBe(1);
      });

      test('a status change checks the revision it was based on', async () => {
        const record = makeLicense();
        await store.licenses.insert(record);
        const change = { identifier: record.identifier, status: 'suspended' as const, expectedRevision: 1, reason: '核查中', at: '2026-11-21T09:00:00.000Z' };
        const suspended = await store.licenses.changeStatus(change);
        expect(suspended).toEqual({ ...record, status: 'suspended', statusReason: '核查中', statusChangedAt: change.at, revision: 2 });
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toEqual(suspended);

        await expect(store.licenses.changeStatus({ ...change, status: 'revoked' })).rejects.toMatchObject({ code: 'ERR_STORE_VERSION_CONFLICT' });
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toEqual(suspended);
        await expect(store.licenses.changeStatus({ ...change, identifier: makeLicense().identifier })).rejects.toMatchObject({ code: 'ERR_LICENSE_NOT_FOUND' });
      });

      test('serials count up from 1 per type and issuer, and concurrent reservations never repeat', async () => {
        await expect(store.licenses.reserveNumbers([SERIALS], RESERVED_AT)).resolves.toEqual([1]);
        await expect(store.licenses.reserveNumbers([SERIALS], RESERVED_AT)).resolves.toEqual([2]);
        await expect(store.licenses.reserveNumbers([{ ...SERIALS, issuerCreditCode: ORGANIZATION.replace('91', '92') }], RESERVED_AT)).resolves.toEqual([1]);
        const serials = (await Promise.all(Array.from({ length: 50 }, () => store.licenses.reserveNumbers([SERIALS], RESERVED_AT)))).flat();
        expect(new Set(serials).size).toBe(50);
        expect(Math.min(...serials)).toBe(3);
        expect(Math.max(...serials)).toBe(52);
      });

      test('a serial and a license number are reserved together: both counters advance in one call, concurrent calls never repeat either', async () => {
        await store.licenses.raiseCounter(NUMBERS.scope, NUMBERS.issuerCreditCode, 10);
        await expect(store.licenses.reserveNumbers([SERIALS, NUMBERS], RESERVED_AT)).resolves.toEqual([1, 11]);
        await expect(store.licenses.reserveNumbers([NUMBERS, SERIALS], RESERVED_AT)).resolves.toEqual([12, 2]);
        const pairs = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            i % 4 === 3 ? store.licenses.reserveNumbers([NUMBERS], RESERVED_AT) : store.licenses.reserveNumbers([SERIALS, NUMBERS], RESERVED_AT),
          ),
        );
        const serials = pairs.filter((pair) => pair.length === 2).map((pair) => pair[0]);
        const numbers = pairs.map((pair) => pair.at(-1));
        expect(new Set(serials).size).toBe(30);
        expect([...serials].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
        expect([...numbers].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 13));
        const ledger = await store.licenses.serialLedger();
        expect(ledger.counters).toEqual(
          expect.arrayContaining([
            { ...SERIALS, last: 32 },
            { ...NUMBERS, last: 52 },
          ]),
        );
        expect(ledger.reservations.filter((reservation) => reservation.scope === SERIALS.scope)).toHaveLength(32);
        expect(ledger.reservations.filter((reservation) => reservation.scope === NUMBERS.scope)).toHaveLength(42);
      });

      test('a reservation names at least one counter, none twice, and a refused one advances nothing', async () => {
        await expect(store.licenses.reserveNumbers([], RESERVED_AT)).rejects.toThrow(TypeError);
        await expect(store.licenses.reserveNumbers([SERIALS, { ...SERIALS }], RESERVED_AT)).rejects.toThrow(TypeError);
        await expect(store.licenses.serialLedger()).resolves.toEqual({ counters: [], reservations: [] });
      });

      test('every number handed out stays reserved until settled, and the ledger shows counters and open reservations', async () => {
        const other = ORGANIZATION.replace('91', '92');
        for (let i = 0; i < 3; i += 1) await store.licenses.reserveNumbers([SERIALS], RESERVED_AT);
        await store.licenses.reserveNumbers([{ scope: 'license-number:2026', issuerCreditCode: other }], RESERVED_AT);
        await store.transaction((tx) => tx.licenses.settleNumbers([{ ...SERIALS, value: 2 }]));
        await store.licenses.settleNumbers([{ ...SERIALS, value: 99 }]);
        const ledger = await store.licenses.serialLedger();
        expect([...ledger.counters].sort((a, b) => a.scope.localeCompare(b.scope))).toEqual(
          [
            { scope: TYPE_CODE, issuerCreditCode: ISSUER.creditCode, last: 3 },
            { scope: 'license-number:2026', issuerCreditCode: other, last: 1 },
          ].sort((a, b) => a.scope.localeCompare(b.scope)),
        );
        expect(ledger.reservations).toHaveLength(3);
        expect(ledger.reservations).toEqual(
          expect.arrayContaining([
            { scope: TYPE_CODE, issuerCreditCode: ISSUER.creditCode, value: 1, reservedAt: RESERVED_AT },
            { scope: TYPE_CODE, issuerCreditCode: ISSUER.creditCode, value: 3, reservedAt: RESERVED_AT },
            { scope: 'license-number:2026', issuerCreditCode: other, value: 1, reservedAt: RESERVED_AT },
          ]),
        );
      });

      test('a serial and a license number reserved together are settled together', async () => {
        const [serial, number] = await store.licenses.reserveNumbers([SERIALS, NUMBERS], RESERVED_AT);
        await store.licenses.reserveNumbers([SERIALS, NUMBERS], RESERVED_AT);
        await store.transaction((tx) =>
          tx.licenses.settleNumbers([
            { ...SERIALS, value: serial! },
            { ...NUMBERS, value: number! },
          ]),
        );
        const { reservations } = await store.licenses.serialLedger();
        expect(reservations).toEqual(
          expect.arrayContaining([
            { ...SERIALS, value: 2, reservedAt: RESERVED_AT },
            { ...NUMBERS, value: 2, reservedAt: RESERVED_AT },
          ]),
        );
        expect(reservations).toHaveLength(2);
      });

      test('raising a counter skips the numbers up to the given one, never lowers it, and the next reservation comes after', async () => {
        await store.licenses.reserveNumbers([SERIALS], RESERVED_AT);
        await expect(store.licenses.raiseCounter(TYPE_CODE, ISSUER.creditCode, 40)).resolves.toEqual({
          scope: TYPE_CODE,
          issuerCreditCode: ISSUER.creditCode,
          from: 2,
          through: 40,
        });
        await expect(store.licenses.raiseCounter(TYPE_CODE, ISSUER.creditCode, 40)).resolves.toBeNull();
        await expect(store.licenses.raiseCounter(TYPE_CODE, ISSUER.creditCode, 7)).resolves.toBeNull();
        await expect(store.transaction((tx) => tx.licenses.raiseCounter('license-number:2026', ISSUER.creditCode, 5))).resolves.toEqual({
          scope: 'license-number:2026',
          issuerCreditCode: ISSUER.creditCode,
          from: 1,
          through: 5,
        });
        await expect(store.licenses.reserveNumbers([SERIALS, NUMBERS], RESERVED_AT)).resolves.toEqual([41, 6]);
        await expect(store.licenses.raiseCounter(TYPE_CODE, ISSUER.creditCode, 0)).rejects.toThrow(TypeError);
        await expect(
          store.transaction(async (tx) => {
            await tx.licenses.raiseCounter(TYPE_CODE, ISSUER.creditCode, 500);
            throw new Error('abandoned');
          }),
        ).rejects.toThrow('abandoned');
        await expect(store.licenses.reserveNumbers([SERIALS], RESERVED_AT)).resolves.toEqual([42]);
      });

      test('numbers reserved in a transaction that fails are neither counted nor reserved', async () => {
        await expect(
          store.transaction(async (tx) => {
            await tx.licenses.reserveNumbers([SERIALS, NUMBERS], RESERVED_AT);
            throw new Error('abandoned');
          }),
        ).rejects.toThrow('abandoned');
        await expect(store.licenses.serialLedger()).resolves.toEqual({ counters: [], reservations: [] });
      });

      test('scan walks every license in identifier order, a page at a time', async () => {
        const records = Array.from({ length: 7 }, () => makeLicense());
        for (const record of records) await store.licenses.insert(record);
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page: readonly LicenseRecord[] = await store.licenses.scan(after, 3);
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          seen.push(...page.map((record) => record.identifier));
          after = page.at(-1)!.identifier;
        }
        expect(seen).toEqual(records.map((record) => record.identifier).sort());
        await expect(store.licenses.scan(null, 1)).resolves.toEqual([records.sort((a, b) => (a.identifier < b.identifier ? -1 : 1))[0]]);
      });

      test("the engine's own integrity check finds nothing wrong in a sound store", async () => {
        await store.licenses.insert(makeLicense());
        await expect(store.checkIntegrity()).resolves.toEqual([]);
      });
    });

    describe('listing by holder', () => {
      test('returns only that holder, newest first, filtered by holder type and status', async () => {
        const mine = [makeLicense(), makeLicense(), makeLicense({ status: 'revoked' }), makeLicense()];
        const others = [
          makeLicense({ holder: { type: 'citizen', number: CITIZEN_B, name: '李四' } }),
          makeLicense({ holder: { type: 'organization', number: ORGANIZATION, name: '某公司' } }),
        ];
        for (const record of [...others, ...mine].reverse()) await store.licenses.insert(record);

        const all = await store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, limit: 50 });
        expect(all.items.map((r) => r.identifier)).toEqual([...mine].reverse().map((r) => r.identifier));
        expect(all.nextCursor).toBeNull();

        const active = await store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, statuses: ['active'], limit: 50 });
        expect(active.items.map((r) => r.identifier)).toEqual([mine[3], mine[1], mine[0]].map((r) => r!.identifier));

        const ofType = await store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, typeCode: TYPE_CODE, issuerCreditCode: ISSUER.creditCode, limit: 50 });
        expect(ofType.items).toHaveLength(4);
        await expect(store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, typeCode: '11100000000013338W099', limit: 50 })).resolves.toEqual({
          items: [],
          nextCursor: null,
        });
        await expect(store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, issuerCreditCode: '11100000000013338W', limit: 50 })).resolves.toEqual({
          items: [],
          nextCursor: null,
        });

        const byType = await store.licenses.listByHolder({ holderType: 'organization', holderNumber: CITIZEN_A, limit: 50 });
        expect(byType.items).toEqual([]);
        const org = await store.licenses.listByHolder({ holderType: 'organization', holderNumber: ORGANIZATION, limit: 50 });
        expect(org.items).toEqual([others[1]]);
      });

      test('cursor pages walk every license once in issue-date order, ties broken by identifier', async () => {
        const sameInstant = '2026-06-01T00:00:00.000Z';
        const records = [...Array.from({ length: 5 }, () => makeLicense()), ...Array.from({ length: 3 }, () => makeLicense({ issuedAt: sameInstant }))];
        for (const record of records) await store.licenses.insert(record);
        const expected = [...records]
          .sort((a, b) => (a.issuedAt === b.issuedAt ? b.identifier.localeCompare(a.identifier) : b.issuedAt.localeCompare(a.issuedAt)))
          .map((r) => r.identifier);

        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, limit: 3, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.items.map((r) => r.identifier));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
        expect(seen).toEqual(expected);
        expect(pages).toBe(3);
      });

      test('a forged cursor is ERR_STORE_CURSOR_INVALID', async () => {
        await expect(store.licenses.listByHolder({ holderType: 'citizen', holderNumber: CITIZEN_A, limit: 3, cursor: 'not-a-cursor' })).rejects.toMatchObject({
          code: 'ERR_STORE_CURSOR_INVALID',
        });
      });
    });

    describe('files', () => {
      test('bytes come back exactly, and a second file for one license is refused', async () => {
        const record = makeLicense();
        await store.licenses.insert(record);
        const file = fileFor(record);
        await store.licenseFiles.put(file);
        const stored = await store.licenseFiles.get(record.identifier);
        expect(stored).toEqual(file);
        expect(stored?.bytes).toBeInstanceOf(Uint8Array);
        await expect(store.licenseFiles.put(file)).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE' });
        await expect(store.licenseFiles.get(makeLicense().identifier)).resolves.toBeNull();
      });
    });

    describe('transactions', () => {
      test('record, file and audit entry commit together', async () => {
        const record = makeLicense();
        const entry = await store.transaction(async (tx) => {
          await tx.licenses.insert(record);
          await tx.licenseFiles.put(fileFor(record));
          return tx.audit.append(audit('license.issue', record.identifier));
        });
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toEqual(record);
        await expect(store.licenseFiles.get(record.identifier)).resolves.toEqual(fileFor(record));
        await expect(store.audit.last()).resolves.toEqual(entry);
      });

      test('a failure injected after the second write leaves nothing behind', async () => {
        await store.audit.append(audit('before'));
        const record = makeLicense();
        const injected = new Error('injected after the file write');
        await expect(
          store.transaction(async (tx) => {
            await tx.licenses.insert(record);
            await tx.licenseFiles.put(fileFor(record));
            throw injected;
          }),
        ).rejects.toBe(injected);
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toBeNull();
        await expect(store.licenseFiles.get(record.identifier)).resolves.toBeNull();
        await expect(store.licenses.count()).resolves.toBe(1 - 1);
        await expect(store.audit.list(0, 10)).resolves.toHaveLength(1);
      });

      test('concurrent transactions commit or fail each on its own', async () => {
        const records = Array.from({ length: 24 }, () => makeLicense());
        const outcomes = await Promise.allSettled(
          records.map((record, i) =>
            store.transaction(async (tx) => {
              await tx.licenses.insert(record);
              await tx.licenseFiles.put(fileFor(record));
              if (i % 3 === 2) throw new Error(`refused ${i}`);
              return record.identifier;
            }),
          ),
        );
        expect(outcomes.map((outcome) => outcome.status)).toEqual(records.map((_, i) => (i % 3 === 2 ? 'rejected' : 'fulfilled')));
        const stored = await Promise.all(records.map((record) => store.licenses.findByIdentifier(record.identifier)));
        expect(stored.map((record) => record !== null)).toEqual(records.map((_, i) => i % 3 !== 2));
        await expect(store.licenses.count()).resolves.toBe(16);
      });

      test('a third write that the store refuses rolls back the first two', async () => {
        await store.idempotency.put({ scope: 'issuer-1', key: 'k1', requestHash: 'h', resultRef: 'x', createdAt: '2026-11-21T08:00:00.000Z' });
        const record = makeLicense();
        await expect(
          store.transaction(async (tx) => {
            await tx.licenses.insert(record);
            await tx.licenseFiles.put(fileFor(record));
            await tx.audit.append(audit('license.issue', record.identifier));
            await tx.idempotency.put({ scope: 'issuer-1', key: 'k1', requestHash: 'h2', resultRef: record.identifier, createdAt: '2026-11-21T08:00:00.000Z' });
          }),
        ).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE' });
        await expect(store.licenses.findByIdentifier(record.identifier)).resolves.toBeNull();
        await expect(store.licenseFiles.get(record.identifier)).resolves.toBeNull();
        await expect(store.audit.last()).resolves.toBeNull();
      });

      test('concurrent transactions each commit whole, with distinct serials', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            store.transaction(async (tx) => {
              const [serial] = await tx.licenses.reserveNumbers([SERIALS], RESERVED_AT);
              const record = makeLicense();
              await tx.licenses.insert(record);
              await tx.licenseFiles.put(fileFor(record));
              await tx.audit.append(audit('license.issue', record.identifier));
              return { serial, identifier: record.identifier };
            }),
          ),
        );
        expect(new Set(results.map((r) => r.serial)).size).toBe(20);
        await expect(store.licenses.count()).resolves.toBe(20);
        const entries = await store.audit.list(0, 100);
        expect(entries).toHaveLength(20);
        expect(findAuditChainBreak(entries)).toBeNull();
      });
    });

    describe('audit log', () => {
      test('entries are numbered from 1 and hash-chained; a changed entry breaks the chain', async () => {
        const first = await store.audit.append(audit('a'));
        const second = await store.audit.append(audit('b', 'target'));
        expect([first.seq, second.seq]).toEqual([1, 2]);
        expect(second.prevHash).toBe(first.hash);
        const entries = await store.audit.list(0, 10);
        expect(entries).toEqual([first, second]);
        expect(findAuditChainBreak(entries)).toBeNull();
        expect(findAuditChainBreak([first, { ...second, details: { note: 'edited' } }])).toEqual({ seq: 2, reason: 'hash' });
        await expect(store.audit.list(1, 10)).resolves.toEqual([second]);
      });

      test("an entry keeps its request's address and id; one without them has no such members and hashes as it always did", async () => {
        const withOrigin = { ...audit('auth.token.refused', 'spray'), actor: auditActor('anonymous', 'anonymous', { address: '203.0.113.9', requestId: 'req-contract-1' }) };
        const first = await store.audit.append(audit('a'));
        const second = await store.audit.append(withOrigin);
        const [readFirst, readSecond] = await store.audit.list(0, 10);
        expect(readSecond!.actor).toEqual({ id: 'anonymous', role: 'anonymous', address: '203.0.113.9', requestId: 'req-contract-1' });
        expect(Object.keys(readFirst!.actor).sort()).toEqual(['id', 'role']);
        expect(readFirst!.hash).toBe(chainAuditEntry(null, audit('a')).hash);
        expect([readFirst!.hash, readSecond!.hash]).toEqual([first.hash, second.hash]);
        expect(findAuditChainBreak([readFirst!, readSecond!])).toBeNull();
      });

      test('concurrent appends never share a number', async () => {
        await Promise.all(Array.from({ length: 30 }, (_, i) => store.audit.append(audit(`n${i}`))));
        const entries = await store.audit.list(0, 100);
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        expect(findAuditChainBreak(entries)).toBeNull();
      });

      test('a re-chain replaces entries in place with their legacy hash kept; the next append links to the new head', async () => {
        const [first, second, third] = [await store.audit.append(audit('a')), await store.audit.append(audit('b')), await store.audit.append(audit('c'))];
        const newSecond: AuditEntry = { ...chainAuditEntry(first, { ...second, details: { note: 'rewritten' } }), legacyHash: second.hash };
        const newThird: AuditEntry = { ...chainAuditEntry(newSecond, third), legacyHash: third.hash };
        await store.transaction((tx) => tx.audit.rechain([newSecond, newThird]));
        await expect(store.audit.list(0, 10)).resolves.toEqual([first, newSecond, newThird]);
        await expect(store.audit.last()).resolves.toEqual(newThird);
        const fourth = await store.audit.append(audit('d'));
        expect(fourth).toMatchObject({ seq: 4, prevHash: newThird.hash });
        expect(fourth.legacyHash).toBeUndefined();
        expect(findAuditChainBreak(await store.audit.list(0, 10))).toBeNull();
      });

      test('a re-chain of an entry that is not stored fails and the transaction changes nothing', async () => {
        const first = await store.audit.append(audit('a'));
        const rewritten: AuditEntry = { ...chainAuditEntry(null, { ...first, details: { note: 'rewritten' } }), legacyHash: first.hash };
        const missing: AuditEntry = { ...chainAuditEntry(rewritten, audit('never')), legacyHash: 'f'.repeat(64) };
        await expect(store.transaction((tx) => tx.audit.rechain([rewritten, missing]))).rejects.toMatchObject({ code: 'ERR_STORE_NOT_FOUND' });
        await expect(store.audit.list(0, 10)).resolves.toEqual([first]);
      });

      test('a re-key rewrites what it is asked to, re-chains the rest, commits to the old hashes, and runs once', async () => {
        for (const action of ['a', 'b', 'c', 'd']) await store.audit.append(audit(action));
        const rewrite = (entry: AuditEntry) => (entry.action === 'b' && entry.details['note'] === 'contract' ? { note: 'rekeyed' } : null);
        const options = { rewrite, keyId: 'k1', actor: { id: 'system', role: 'system' }, now: new Date('2026-12-01T00:00:00Z') };
        const rekey = await rekeyAuditLog(store, options);
        expect(rekey).toMatchObject({ seq: 5, action: 'audit.rekey', details: { fromSeq: 2, throughSeq: 4, keyId: 'k1', rewritten: 1 } });
        const entries = await store.audit.list(0, 10);
        expect(entries.map((entry) => entry.legacyHash !== undefined)).toEqual([false, true, true, true, false]);
        expect(entries[1]?.details).toEqual({ note: 'rekeyed' });
        await expect(verifyAuditLog(store.audit)).resolves.toMatchObject({ ok: true, entries: 5 });
        await expect(rekeyAuditLog(store, options)).resolves.toBeNull();
        await expect(store.audit.list(0, 10)).resolves.toEqual(entries);
      });
    });

    describe('idempotency keys', () => {
      test('a key is remembered per scope and cannot be taken twice', async () => {
        const record = { scope: 'issuer-1', key: 'k1', requestHash: 'h', resultRef: 'id-1', createdAt: '2026-11-21T08:00:00.000Z' };
        await store.idempotency.put(record);
        await expect(store.idempotency.get('issuer-1', 'k1')).resolves.toEqual(record);
        await expect(store.idempotency.get('issuer-2', 'k1')).resolves.toBeNull();
        await expect(store.idempotency.put({ ...record, resultRef: 'id-2' })).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'key' } });
        await store.idempotency.put({ ...record, scope: 'issuer-2' });
      });
    });

    describe('configuration records', () => {
      const at = '2026-11-21T08:00:00.000Z';

      test('departments and accounts are unique by key, updatable and listed in key order', async () => {
        const department = makeDepartment({ creditCode: ORGANIZATION, createdAt: at, updatedAt: at });
        await store.departments.insert(department);
        await expect(store.departments.insert(department)).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'creditCode' } });
        await store.departments.update({ ...department, name: '新名称' });
        await expect(store.departments.get(ORGANIZATION)).resolves.toEqual({ ...department, name: '新名称' });
        await expect(store.departments.update({ ...department, creditCode: '11100000000013338W' })).rejects.toMatchObject({ code: 'ERR_STORE_NOT_FOUND' });

        const account = {
          clientId: 'clerk-b',
          role: 'clerk' as const,
          department: null,
          displayName: '窗口',
          secretHash: 'scrypt$x',
          disabled: false,
          createdAt: at,
          updatedAt: at,
        };
        await store.accounts.insert(account);
        // An administrator's account as the separation of duties stores it: pending, with who set its secret and its token version.
        const sysadmin = { ...account, clientId: 'admin-a', role: 'sysadmin' as const, pending: true, secretSetBy: { clientId: 'secadmin-a', role: 'secadmin' }, tokenVersion: 3 };
        await store.accounts.insert(sysadmin);
        await expect(store.accounts.insert(account)).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'clientId' } });
        await store.accounts.update({ ...account, disabled: true });
        await expect(store.accounts.get('clerk-b')).resolves.toEqual({ ...account, disabled: true });
        await store.accounts.update({ ...sysadmin, pending: false, tokenVersion: 4 });
        await expect(store.accounts.get('admin-a')).resolves.toEqual({ ...sysadmin, pending: false, tokenVersion: 4 });
        await expect(store.accounts.list()).resolves.toEqual([
          { ...sysadmin, pending: false, tokenVersion: 4 },
          { ...account, disabled: true },
        ]);
        await expect(store.accounts.update({ ...account, clientId: 'ghost' })).rejects.toMatchObject({ code: 'ERR_STORE_NOT_FOUND' });
      });
    });

    describe('hostile values', () => {
      test.each([
        ['an operator object', { $ne: null }],
        ['a $where clause', { $where: 'sleep(1000)' }],
        ['a $regex', { $regex: '.*' }],
        ['an array', ['x']],
      ])('%s where a key string belongs is refused, never run as a query', async (_name, hostile) => {
        await store.licenses.insert(makeLicense());
        const value = hostile as unknown as string;
        await expect(store.licenses.findByIdentifier(value)).rejects.toThrow();
        await expect(store.licenses.findBySha256(value)).rejects.toThrow();
        await expect(store.licenses.listByHolder({ holderType: 'citizen', holderNumber: value, limit: 10 })).rejects.toThrow();
        await expect(store.accounts.get(value)).rejects.toThrow();
        await expect(store.idempotency.get('scope', value)).rejects.toThrow();
      });
    });

    holderSessionsContract(() => store);
    staffContract(() => store);
    auditHolderContract(() => store);
    sharesContract(() => store);

    describe('lifecycle', () => {
      test('ping answers while open; after close every call is ERR_STORE_UNAVAILABLE', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await expect(store.ping()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await expect(store.licenses.findByIdentifier('x')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await expect(store.licenses.insert(makeLicense())).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      });
    });
  });
  copiesContract(name, open);
}
