import { createHash } from 'node:crypto';
import { newCopyId, newCopyVerificationCode, type CopyRecord } from '../../src/modules/copies/index.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import { makeLicense } from '../fixtures/licenses.js';

let made = 0;

/** A fresh copy record of `original`; every call gets a new id and hash. */
function makeCopy(overrides: Partial<CopyRecord> = {}): CopyRecord {
  made += 1;
  const original = makeLicense();
  return {
    copyId: newCopyId(),
    verificationCode: newCopyVerificationCode(),
    originalIdentifier: original.identifier,
    originalSha256: original.sha256,
    sha256: createHash('sha256').update(`copy ${made}`).digest('hex'),
    office: { name: '福州市鼓楼区行政服务中心', creditCode: '91350100M000100Y43' },
    serviceItem: '新生入学登记',
    purpose: '办理入学登记',
    validUntil: '2027-01-03',
    createdAt: '2026-12-04T02:00:00.000Z',
    madeBy: { id: 'clerk-1', role: 'clerk' },
    ...overrides,
  };
}

/** The copies repository: what every VaultStore must do with annotated-copy records. */
export function copiesContract(name: string, open: () => Promise<{ readonly store: VaultStore; readonly cleanup: () => Promise<void> }>): void {
  describe(`${name} store contract: copies`, () => {
    let opened: { readonly store: VaultStore; readonly cleanup: () => Promise<void> } | undefined;
    let store: VaultStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened?.cleanup();
    });

    test('an inserted copy is found whole by id and by SHA-256; a copy of no department keeps its null credit code', async () => {
      const copy = makeCopy();
      const deskCopy = makeCopy({ office: { name: '未登记部门的办事窗口', creditCode: null } });
      await store.copies.insert(copy);
      await store.copies.insert(deskCopy);
      await expect(store.copies.findById(copy.copyId)).resolves.toEqual(copy);
      await expect(store.copies.findBySha256(copy.sha256)).resolves.toEqual(copy);
      await expect(store.copies.findById(deskCopy.copyId)).resolves.toEqual(deskCopy);
    });

    test('unknown keys find nothing', async () => {
      await store.copies.insert(makeCopy());
      await expect(store.copies.findById(newCopyId())).resolves.toBeNull();
      await expect(store.copies.findBySha256('0'.repeat(64))).resolves.toBeNull();
    });

    test('a taken id or hash is ERR_STORE_DUPLICATE naming the key, and the first record is kept', async () => {
      const copy = makeCopy();
      await store.copies.insert(copy);
      await expect(store.copies.insert(makeCopy({ copyId: copy.copyId }))).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'copyId' } });
      await expect(store.copies.insert(makeCopy({ sha256: copy.sha256 }))).rejects.toMatchObject({ code: 'ERR_STORE_DUPLICATE', details: { key: 'sha256' } });
      await expect(store.copies.findById(copy.copyId)).resolves.toEqual(copy);
    });

    test('a copy and its audit entry commit together, or neither does', async () => {
      const kept = makeCopy();
      await store.transaction(async (tx) => {
        await tx.copies.insert(kept);
        await tx.audit.append({
          at: kept.createdAt,
          actor: { id: 'clerk-1', role: 'clerk' },
          action: 'copy.make',
          target: kept.originalIdentifier,
          details: { copyId: kept.copyId },
        });
      });
      const dropped = makeCopy();
      await expect(
        store.transaction(async (tx) => {
          await tx.copies.insert(dropped);
          throw new Error('abandoned');
        }),
      ).rejects.toThrow('abandoned');
      await expect(store.copies.findById(kept.copyId)).resolves.toEqual(kept);
      await expect(store.copies.findById(dropped.copyId)).resolves.toBeNull();
    });

    test('keys that are not strings are refused before any query', async () => {
      await expect(store.copies.findById({ $ne: '' } as unknown as string)).rejects.toThrow();
      await expect(store.copies.findBySha256(['a'] as unknown as string)).rejects.toThrow();
    });
  });
}
