import type { AuditDraft } from '../../../src/modules/audit/index.js';
import { buildLicenseIdentifier, type HolderNumber } from '../../../src/modules/identity/index.js';
import { maskAccount, UsageRecord, usageKindOf, USAGE_KINDS } from '../../../src/modules/usage/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const HOLDER: HolderNumber = { type: 'citizen', value: '11010519491231002X' };
const STRANGER: HolderNumber = { type: 'citizen', value: '440524188001010014' };

describe('account masking', () => {
  test.each([
    ['demo-clerk', 'dem***rk'],
    ['window-07', 'win***07'],
    ['clerk1', 'cl***'],
    ['ab', 'a***'],
    ['', '***'],
    ['窗口办理员甲', '窗口***'],
  ])('%j shows as %j', (id, shown) => expect(maskAccount(id)).toBe(shown));

  test('a long account never shows more than five of its characters', () => {
    expect(maskAccount('x'.repeat(64)).replaceAll('*', '')).toHaveLength(5);
  });
});

describe('usage kinds', () => {
  test("every action of COMMON's list has its kind; the holder's own reads are left out; an action added later shows as other", () => {
    expect(
      [
        'holder.query',
        'authorization.redeem',
        'authorization.redeem.refused',
        'license.read',
        'license.download',
        'copy.make',
        'share.open',
        'share.create',
        'share.revoke',
        'authorization.create',
        'authorization.withdraw',
        'license.read.denied',
        'holder.access.denied',
        'license.revoke',
      ].map(usageKindOf),
    ).toEqual([
      'lookup',
      'redemption',
      'redemption-refused',
      'read',
      'download',
      'copy',
      'share-opened',
      'share-made',
      'share-revoked',
      'authorization-made',
      'authorization-withdrawn',
      'denied',
      'denied',
      'status-change',
    ]);
    expect(usageKindOf('holder.license.read')).toBeNull();
    expect(usageKindOf('holder.license.download')).toBeNull();
    expect(usageKindOf('something.new')).toBe('other');
    expect(USAGE_KINDS).toContain('other');
  });
});

describe('UsageRecord', () => {
  let vault: VaultHarness;
  let record: UsageRecord;
  let identifier: string;
  const about = (action: string, details: Record<string, unknown>, actor = { id: 'window-07', role: 'clerk' }, holder = HOLDER): AuditDraft => ({
    at: vault.clock.now().toISOString(),
    actor,
    action,
    target: null,
    details: { holderFingerprint: vault.fingerprinter.fingerprint(holder), ...details },
  });

  beforeEach(async () => {
    vault = await openVaultHarness();
    record = new UsageRecord({ store: vault.store, fingerprinter: vault.fingerprinter, templates: vault.templates, clock: vault.clock });
    identifier = buildLicenseIdentifier({
      typeCode: vault.templates.latest()[0]!.catalogue.typeCode,
      issuerCreditCode: TEST_DEPARTMENT.creditCode,
      serial: '00000001',
      version: 1,
    });
  });
  afterEach(() => vault.close());

  test("an entry shows its kind, the office's name, the clerk masked, the service item, the purpose and the licenses by type name", async () => {
    await vault.store.audit.append(
      about('authorization.redeem', { department: TEST_DEPARTMENT.creditCode, serviceItem: '新生入学登记', purpose: '核验学历', licenses: [identifier, 'not-an-identifier', 7] }),
    );
    const page = await record.read(HOLDER, { limit: 10 });
    expect(page.items).toEqual([
      {
        at: '2026-11-21T02:00:00.000Z',
        kind: 'redemption',
        action: 'authorization.redeem',
        department: { creditCode: TEST_DEPARTMENT.creditCode, name: TEST_DEPARTMENT.name },
        clerk: 'win***07',
        actorRole: 'clerk',
        serviceItem: '新生入学登记',
        purpose: '核验学历',
        recipient: null,
        licenses: [
          { identifier, typeName: vault.templates.latest()[0]!.catalogue.name },
          { identifier: 'not-an-identifier', typeName: null },
        ],
        repeated: 1,
      },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  test("another holder's entries, and entries about no holder, never show", async () => {
    await vault.store.audit.append(about('holder.query', { purpose: '办理入学登记' }, undefined, STRANGER));
    await vault.store.audit.append({ ...about('license.issue', {}), details: {} });
    await expect(record.read(HOLDER, { limit: 10 })).resolves.toMatchObject({ items: [], nextCursor: null });
  });

  test('an office unknown to the vault shows its credit code without a name; a staff account of no department and not in the store shows none', async () => {
    await vault.store.audit.append(about('holder.query', { department: '11100000000013338W' }));
    await vault.store.audit.append(about('holder.query', {}, { id: 'gone-clerk', role: 'clerk' }));
    const page = await record.read(HOLDER, { limit: 10 });
    expect(page.items.map((item) => [item.department, item.clerk])).toEqual([
      [null, 'gon***rk'],
      [{ creditCode: '11100000000013338W', name: null }, 'win***07'],
    ]);
  });

  test("the holder's own reads are skipped and a page is filled from older entries; a page stops after a bounded scan and says where to go on", async () => {
    await vault.store.audit.append(about('holder.query', { purpose: '最早的一次' }));
    for (let i = 0; i < 5; i += 1) await vault.store.audit.append(about('holder.license.read', {}, { id: 'holder:110105********002X', role: 'holder' }));
    await vault.store.audit.append(about('license.read', { purpose: '最近的一次' }));
    const page = await record.read(HOLDER, { limit: 2 });
    expect(page.items.map((item) => item.purpose)).toEqual(['最近的一次', '最早的一次']);
    expect(page.nextCursor).toBeNull();

    // Only own reads beyond what a page scans (4 rounds of limit + 1): a short page, and a cursor past what was scanned.
    for (let i = 0; i < 30; i += 1) await vault.store.audit.append(about('holder.license.download', {}, { id: 'holder:110105********002X', role: 'holder' }));
    const short = await record.read(HOLDER, { limit: 2 });
    expect(short.items).toEqual([]);
    expect(short.nextCursor).not.toBeNull();
    const pages = [short];
    while (pages.at(-1)!.nextCursor) pages.push(await record.read(HOLDER, { limit: 2, cursor: pages.at(-1)!.nextCursor! }));
    expect(pages.flatMap((p) => p.items.map((item) => item.purpose))).toEqual(['最近的一次', '最早的一次']);
  });

  test('a summarised refusal shows how many times it was tried', async () => {
    await vault.store.audit.append(about('holder.access.denied', { repeated: 4, windowStart: 'x', windowEnd: 'y' }, { id: 'holder:440524********0014', role: 'holder' }));
    await expect(record.read(HOLDER, { limit: 1 })).resolves.toMatchObject({ items: [{ kind: 'denied', repeated: 5, clerk: null, actorRole: 'holder' }] });
  });

  test("entries written under an older fingerprint key are found with the new ones, and verification counts list the holder's licenses", async () => {
    const old = `hmac-sha256:fp-old:${'0'.repeat(64)}`;
    const fingerprinter = { candidates: () => [vault.fingerprinter.fingerprint(HOLDER), old] };
    await vault.store.audit.append({ ...about('holder.query', { purpose: '旧密钥下的查询' }), details: { holderFingerprint: old, purpose: '旧密钥下的查询' } });
    await vault.store.audit.append(about('holder.query', { purpose: '新密钥下的查询' }));
    const both = new UsageRecord({ store: vault.store, fingerprinter, templates: vault.templates, clock: vault.clock });
    const page = await both.read(HOLDER, { limit: 10 });
    expect(page.items.map((item) => item.purpose)).toEqual(['新密钥下的查询', '旧密钥下的查询']);
    expect(page.verifications).toEqual([]);
  });
});
