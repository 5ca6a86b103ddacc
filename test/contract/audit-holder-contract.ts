import { chainAuditEntry, rekeyAuditLog, verifyAuditLog, type AuditDraft, type AuditEntry } from '../../src/modules/audit/index.js';
import type { VaultStore } from '../../src/composition/vault-store.js';

const KEY1 = `hmac-sha256:k1:${'1'.repeat(64)}`;
const KEY2 = `hmac-sha256:k2:${'2'.repeat(64)}`;
const OTHER = `hmac-sha256:k1:${'9'.repeat(64)}`;

const about = (holderFingerprint: string | null, action = 'holder.query', extra: Record<string, unknown> = {}): AuditDraft => ({
  at: '2026-11-21T08:00:00.000Z',
  actor: { id: 'clerk-1', role: 'clerk' },
  action,
  target: null,
  details: { ...(holderFingerprint === null ? {} : { holderFingerprint }), purpose: '办理入学登记', ...extra },
});

const seqs = (entries: readonly AuditEntry[]) => entries.map((entry) => entry.seq);

/**
 * The holder index of the audit log (用证记录) and the verification counters: part of every store's contract (called inside
 * runStoreContract, with the test's fresh store). Every store finds one holder's entries newest first, by any of its
 * fingerprints, and keeps the index through a re-key.
 */
export function auditHolderContract(opened: () => VaultStore): void {
  describe('audit log by holder', () => {
    test("one holder's entries come newest first, whole, paged by seq, and no one else's", async () => {
      const mine: AuditEntry[] = [];
      for (let i = 0; i < 7; i += 1) {
        await opened().audit.append(about(OTHER));
        await opened().audit.append(about(null, 'license.issue'));
        mine.push(await opened().audit.append(about(KEY1, 'license.read', { n: i })));
      }
      const first = await opened().audit.listByHolder([KEY1], { limit: 3 });
      expect(first).toEqual([mine[6], mine[5], mine[4]]);
      const second = await opened().audit.listByHolder([KEY1], { beforeSeq: first.at(-1)!.seq, limit: 3 });
      expect(seqs(second)).toEqual(seqs([mine[3]!, mine[2]!, mine[1]!]));
      const last = await opened().audit.listByHolder([KEY1], { beforeSeq: second.at(-1)!.seq, limit: 3 });
      expect(last).toEqual([mine[0]]);
      await expect(opened().audit.listByHolder([KEY1], { beforeSeq: mine[0]!.seq, limit: 3 })).resolves.toEqual([]);
    });

    test('entries under several keys of one holder are merged newest first; a fingerprint given twice counts once', async () => {
      const a = await opened().audit.append(about(KEY1));
      await opened().audit.append(about(OTHER));
      const b = await opened().audit.append(about(KEY2));
      const c = await opened().audit.append(about(KEY1));
      const d = await opened().audit.append(about(KEY2));
      await expect(opened().audit.listByHolder([KEY1, KEY2, KEY1], { limit: 10 }).then(seqs)).resolves.toEqual(seqs([d, c, b, a]));
      await expect(opened().audit.listByHolder([KEY2, KEY1], { limit: 2 }).then(seqs)).resolves.toEqual(seqs([d, c]));
      await expect(opened().audit.listByHolder([KEY1, KEY2], { beforeSeq: c.seq, limit: 2 }).then(seqs)).resolves.toEqual(seqs([b, a]));
    });

    test('no fingerprint, an unknown one or a limit of 0 finds nothing; a fingerprint that is not text is not indexed', async () => {
      await opened().audit.append(about(KEY1));
      await opened().audit.append({ ...about(null), details: { holderFingerprint: 42 } });
      await expect(opened().audit.listByHolder([], { limit: 10 })).resolves.toEqual([]);
      await expect(opened().audit.listByHolder([OTHER], { limit: 10 })).resolves.toEqual([]);
      await expect(opened().audit.listByHolder([KEY1], { limit: 0 })).resolves.toEqual([]);
      await expect(opened().audit.listByHolder(['42'], { limit: 10 })).resolves.toEqual([]);
    });

    test('a value that is not a string where a fingerprint belongs is refused, never run as a query', async () => {
      await opened().audit.append(about(KEY1));
      for (const hostile of [{ $ne: null }, { $regex: '.*' }, ['x'], 7]) {
        await expect(opened().audit.listByHolder([hostile as unknown as string], { limit: 10 })).rejects.toThrow(TypeError);
      }
      await expect(opened().audit.listByHolder([KEY1], { beforeSeq: Number.NaN, limit: 10 })).rejects.toThrow(TypeError);
    });

    test('an entry appended inside a transaction is indexed with it, and not when the transaction fails', async () => {
      const kept = await opened().transaction((tx) => tx.audit.append(about(KEY1)));
      await expect(
        opened().transaction(async (tx) => {
          await tx.audit.append(about(KEY1));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await expect(opened().audit.listByHolder([KEY1], { limit: 10 })).resolves.toEqual([kept]);
      await expect(opened().transaction((tx) => tx.audit.listByHolder([KEY1], { limit: 10 }))).resolves.toEqual([kept]);
    });

    test('a re-key that changes fingerprints moves the entries to the new ones in the index; the chain still verifies', async () => {
      const unkeyed = 'a'.repeat(64);
      await opened().audit.append(about(unkeyed));
      await opened().audit.append(about(OTHER));
      await opened().audit.append(about(unkeyed, 'license.read'));
      const rewrite = (entry: AuditEntry) => (entry.details['holderFingerprint'] === unkeyed ? { ...entry.details, holderFingerprint: KEY2 } : null);
      await rekeyAuditLog(opened(), { rewrite, keyId: 'k2', actor: { id: 'system', role: 'system' }, now: new Date('2026-12-01T00:00:00Z') });
      await expect(opened().audit.listByHolder([unkeyed], { limit: 10 })).resolves.toEqual([]);
      const moved = await opened().audit.listByHolder([KEY2], { limit: 10 });
      expect(moved.map((entry) => [entry.seq, entry.action, entry.details['holderFingerprint'], entry.legacyHash !== undefined])).toEqual([
        [3, 'license.read', KEY2, true],
        [1, 'holder.query', KEY2, true],
      ]);
      await expect(opened().audit.listByHolder([OTHER], { limit: 10 }).then(seqs)).resolves.toEqual([2]);
      await expect(verifyAuditLog(opened().audit)).resolves.toMatchObject({ ok: true, entries: 4 });
    });

    test('a re-chain that drops a fingerprint from the details drops the entry from the index', async () => {
      const first = await opened().audit.append(about(KEY1));
      const dropped: AuditEntry = { ...chainAuditEntry(null, { ...first, details: { purpose: '办理入学登记' } }), legacyHash: first.hash };
      await opened().transaction((tx) => tx.audit.rechain([dropped]));
      await expect(opened().audit.listByHolder([KEY1], { limit: 10 })).resolves.toEqual([]);
    });
  });

  describe('verification counts', () => {
    test('counts add up per license over days; a license never verified has no total', async () => {
      await opened().verificationCounts.add([
        { identifier: 'L1', day: '2026-11-21', count: 3 },
        { identifier: 'L2', day: '2026-11-21', count: 1 },
      ]);
      await opened().verificationCounts.add([
        { identifier: 'L1', day: '2026-11-21', count: 2 },
        { identifier: 'L1', day: '2026-11-22', count: 4 },
      ]);
      await opened().verificationCounts.add([]);
      const totals = await opened().verificationCounts.totals(['L1', 'L2', 'L3', 'L1']);
      expect([...totals].sort()).toEqual([
        ['L1', 9],
        ['L2', 1],
      ]);
      await expect(opened().verificationCounts.totals([])).resolves.toEqual(new Map());
    });

    test('concurrent increments of one counter are all kept', async () => {
      await Promise.all(Array.from({ length: 20 }, () => opened().verificationCounts.add([{ identifier: 'L1', day: '2026-11-21', count: 1 }])));
      await expect(opened().verificationCounts.totals(['L1'])).resolves.toEqual(new Map([['L1', 20]]));
    });

    test('a value that is not a string or a count is refused and nothing is written', async () => {
      await expect(opened().verificationCounts.add([{ identifier: { $ne: null } as unknown as string, day: '2026-11-21', count: 1 }])).rejects.toThrow(TypeError);
      await expect(opened().verificationCounts.add([{ identifier: 'L1', day: '2026-11-21', count: -1 }])).rejects.toThrow(TypeError);
      await expect(opened().verificationCounts.totals([['L1'] as unknown as string])).rejects.toThrow(TypeError);
      await expect(opened().verificationCounts.totals(['L1'])).resolves.toEqual(new Map());
    });
  });
}
