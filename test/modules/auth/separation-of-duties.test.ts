import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import { approveAccount, approverRoleOf, createAccount, disableAccount, managerRoleOf, rotateSecret, updateAccount, ROLES, type Role } from '../../../src/modules/auth/index.js';
import { fixedClock } from '../../../src/shared/clock.js';

const HOST = { id: 'cli:root', role: 'system' };
const SYS = { id: 'sys-1', role: 'sysadmin' };
const SYS2 = { id: 'sys-2', role: 'sysadmin' };
const SEC = { id: 'sec-1', role: 'secadmin' };
const SEC2 = { id: 'sec-2', role: 'secadmin' };
const AUDITOR = { id: 'audit-1', role: 'auditor' };
const clock = fixedClock('2026-11-21T08:00:00.000Z');

describe('separation of duties in the account use cases', () => {
  let dir: string;
  let store: VaultStore;
  const deps = () => ({ store, clock });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-duties-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
    for (const actor of [SYS, SYS2, SEC, SEC2, AUDITOR]) await createAccount(deps(), HOST, { role: actor.role as Role, clientId: actor.id });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('who manages and who approves: the system administrator the operational roles, the security administrator the three administrators; each approves the other', () => {
    expect(ROLES.map((role) => [role, managerRoleOf(role)])).toEqual([
      ['issuer', 'sysadmin'],
      ['clerk', 'sysadmin'],
      ['sysadmin', 'secadmin'],
      ['secadmin', 'secadmin'],
      ['auditor', 'secadmin'],
    ]);
    expect(['sysadmin', 'secadmin', 'auditor', 'system', 'clerk'].map(approverRoleOf)).toEqual(['secadmin', 'sysadmin', null, null, null]);
  });

  test('no account role creates what it may not: the refused creation stores nothing and writes no audit entry', async () => {
    const before = await store.audit.list(0, 100);
    for (const [actor, role] of [
      [SYS, 'auditor'],
      [SYS, 'secadmin'],
      [SYS, 'sysadmin'],
      [SEC, 'clerk'],
      [AUDITOR, 'clerk'],
      [AUDITOR, 'auditor'],
    ] as const) {
      await expect(createAccount(deps(), actor, { role, clientId: `made-by-${actor.id}` })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    }
    expect(await store.audit.list(0, 100)).toEqual(before);
    expect(await store.accounts.list()).toHaveLength(5);
  });

  test('a secret set by one managing role is approved only by the other, never by the same role or the auditor', async () => {
    const { account } = await createAccount(deps(), SYS, { role: 'clerk', clientId: 'window-1' });
    expect(account).toMatchObject({ pending: true, secretSetBy: { clientId: 'sys-1', role: 'sysadmin' } });
    for (const actor of [SYS, SYS2, AUDITOR]) await expect(approveAccount(deps(), actor, 'window-1')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    await expect(approveAccount(deps(), SEC, 'window-1')).resolves.toMatchObject({ pending: false });

    const reset = await rotateSecret(deps(), SEC, 'window-1');
    expect(reset.account).toMatchObject({ pending: true, secretSetBy: { clientId: 'sec-1', role: 'secadmin' } });
    await expect(approveAccount(deps(), SEC2, 'window-1')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    await expect(approveAccount(deps(), SYS2, 'window-1')).resolves.toMatchObject({ pending: false });
    const approval = (await store.audit.last())!;
    expect(approval).toMatchObject({ action: 'account.approve', actor: SYS2, details: { before: { pending: true }, after: { pending: false } } });
  });

  test('only the security administrator resets, locks and changes roles; nobody does so to their own account', async () => {
    await createAccount(deps(), HOST, { role: 'clerk', clientId: 'window-1' });
    await createAccount(deps(), HOST, { role: 'clerk', clientId: 'window-2' });
    for (const actor of [SYS, AUDITOR]) {
      await expect(rotateSecret(deps(), actor, 'window-1')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
      await expect(disableAccount(deps(), actor, 'window-1')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
      await expect(updateAccount(deps(), actor, 'window-1', { role: 'auditor' })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    }
    await expect(updateAccount(deps(), SEC, 'window-1', { displayName: '一号窗口' })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    await expect(updateAccount(deps(), SYS, 'window-1', { displayName: '一号窗口' })).resolves.toMatchObject({ displayName: '一号窗口' });
    await expect(updateAccount(deps(), SEC, 'window-1', { role: 'auditor' })).resolves.toMatchObject({ role: 'auditor' });

    await expect(rotateSecret(deps(), SEC, 'sec-1')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN_OWN_ACCOUNT' });
    await expect(disableAccount(deps(), SEC, 'sec-1')).rejects.toMatchObject({ code: 'ERR_FORBIDDEN_OWN_ACCOUNT' });
    await expect(updateAccount(deps(), SEC, 'sec-1', { role: 'sysadmin' })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN_OWN_ACCOUNT' });
    await expect(updateAccount(deps(), SEC, 'sec-1', { displayName: '自己' })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN_OWN_ACCOUNT' });
    // The host is the break-glass path: it may reset any account, and the result is active at once.
    await expect(rotateSecret(deps(), HOST, 'sec-1')).resolves.toMatchObject({ account: { pending: false } });
  });

  test('the last enabled, approved account of a role stays, for the host too', async () => {
    await expect(disableAccount(deps(), SEC, 'audit-1')).rejects.toMatchObject({ code: 'ERR_ACCOUNT_LAST_OF_ROLE', details: { role: 'auditor' } });
    await expect(disableAccount(deps(), HOST, 'audit-1')).rejects.toMatchObject({ code: 'ERR_ACCOUNT_LAST_OF_ROLE' });
    await expect(updateAccount(deps(), SEC, 'audit-1', { role: 'clerk' })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_LAST_OF_ROLE' });
    await disableAccount(deps(), SEC, 'sys-2');
    await expect(disableAccount(deps(), SEC, 'sys-1')).rejects.toMatchObject({ code: 'ERR_ACCOUNT_LAST_OF_ROLE', details: { role: 'sysadmin' } });
    await expect(disableAccount(deps(), SEC2, 'sec-1')).resolves.toMatchObject({ disabled: true });
    await expect(disableAccount(deps(), HOST, 'sec-2')).rejects.toMatchObject({ code: 'ERR_ACCOUNT_LAST_OF_ROLE', details: { role: 'secadmin' } });
  });
});
