import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/adapters/storage/sqlite/sqlite-store.js';
import { createAccount, disableAccount, enableAccount, getAccount, listAccounts, rotateSecret, updateAccount, verifySecret } from '../../../src/modules/auth/index.js';
import { createDepartment, DEMO_DEPARTMENT, getDepartment, listDepartments, updateDepartment } from '../../../src/modules/departments/index.js';
import type { VaultStore } from '../../../src/composition/vault-store.js';
import { fixedClock } from '../../../src/shared/clock.js';

/** The host (the command line): may do everything, its accounts active at once. The separated duties are in separation-of-duties.test.ts. */
const ADMIN = { id: 'cli:root', role: 'system' };
const CREDIT_CODE = '91350100M000100Y43';
const TEACHER_TYPE = '11100000000013338W001';
const clock = fixedClock('2026-11-21T08:00:00.000Z');

describe('account and department use cases', () => {
  let dir: string;
  let store: VaultStore;
  const deps = () => ({ store, clock });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-admin-uc-'));
    store = openSqliteStore({ file: join(dir, 'vault.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const department = () =>
    createDepartment(deps(), ADMIN, { creditCode: CREDIT_CODE, name: '福州市市场监督管理局', divisionCode: '350100', licenseTypes: [TEACHER_TYPE, TEACHER_TYPE] });

  test('createAccount stores only an scrypt hash and returns the secret once', async () => {
    const { account, clientSecret } = await createAccount(deps(), ADMIN, { role: 'auditor' });
    expect(account).toEqual({
      clientId: expect.stringMatching(/^auditor-[0-9a-f]{8}$/),
      kind: 'service',
      role: 'auditor',
      department: null,
      displayName: account.clientId,
      disabled: false,
      pending: false,
      secretSetBy: { clientId: 'cli:root', role: 'system' },
      totpEnrolled: false,
      createdAt: '2026-11-21T08:00:00.000Z',
      updatedAt: '2026-11-21T08:00:00.000Z',
    });
    const stored = (await store.accounts.get(account.clientId))!;
    expect(stored.secretHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(JSON.stringify(stored)).not.toContain(clientSecret);
    await expect(verifySecret(clientSecret, stored.secretHash)).resolves.toBe(true);
    await expect(getAccount(deps(), account.clientId)).resolves.toEqual(account);
    expect(JSON.stringify(await listAccounts(deps()))).not.toContain('scrypt');
  });

  test('an issuer must name an existing department; other roles must not name one', async () => {
    await expect(createAccount(deps(), ADMIN, { role: 'issuer' })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_INVALID', details: { field: 'department' } });
    await expect(createAccount(deps(), ADMIN, { role: 'issuer', department: CREDIT_CODE })).rejects.toMatchObject({
      code: 'ERR_ACCOUNT_INVALID',
      details: { field: 'department' },
    });
    await expect(createAccount(deps(), ADMIN, { role: 'sysadmin', department: CREDIT_CODE })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_INVALID' });
    await expect(createAccount(deps(), ADMIN, { role: 'issuer', department: '12345' })).rejects.toMatchObject({ code: 'ERR_CREDIT_CODE_LENGTH' });
    await department();
    const { account } = await createAccount(deps(), ADMIN, { role: 'issuer', department: CREDIT_CODE.toLowerCase(), clientId: 'fz-issuer' });
    expect(account.department).toBe(CREDIT_CODE);
    expect(await store.accounts.list()).toHaveLength(1);
  });

  test('a clerk may belong to an existing department (the office that redeems 用证码), keeps it across other changes, and may leave it', async () => {
    await expect(createAccount(deps(), ADMIN, { role: 'clerk', department: CREDIT_CODE })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_INVALID', details: { field: 'department' } });
    await expect(createAccount(deps(), ADMIN, { role: 'clerk', department: '12345' })).rejects.toMatchObject({ code: 'ERR_CREDIT_CODE_LENGTH' });
    expect(await store.accounts.list()).toEqual([]);
    await department();
    const { account } = await createAccount(deps(), ADMIN, { role: 'clerk', department: CREDIT_CODE, clientId: 'fz-window' });
    expect(account).toMatchObject({ role: 'clerk', department: CREDIT_CODE });
    await expect(updateAccount(deps(), ADMIN, 'fz-window', { displayName: '一号窗口' })).resolves.toMatchObject({ department: CREDIT_CODE });
    await expect(updateAccount(deps(), ADMIN, 'fz-window', { department: null })).resolves.toMatchObject({ department: null });
    await expect(updateAccount(deps(), ADMIN, 'fz-window', { department: CREDIT_CODE })).resolves.toMatchObject({ department: CREDIT_CODE });
    await createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'another-window' });
    await expect(updateAccount(deps(), ADMIN, 'fz-window', { role: 'auditor' })).resolves.toMatchObject({ role: 'auditor', department: null });
  });

  test('a failed change leaves neither the record nor an audit entry behind', async () => {
    await createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'clerk-one' });
    const before = await store.audit.list(0, 100);
    await expect(createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'clerk-one' })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_EXISTS' });
    await expect(createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'clerk-two', displayName: 'bad\u0007name' })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_INVALID' });
    expect(await store.audit.list(0, 100)).toEqual(before);
    expect((await store.accounts.list()).map((a) => a.clientId)).toEqual(['clerk-one']);
  });

  test('disable, enable and rotate-secret are audited with the actor and the state before and after; each bumps the token version', async () => {
    await createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'window-2', displayName: '二号窗口' });
    const { account, clientSecret } = await createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'window-1', displayName: '一号窗口' });
    await expect(disableAccount(deps(), ADMIN, 'window-1')).resolves.toMatchObject({ disabled: true });
    await expect(enableAccount(deps(), ADMIN, 'window-1')).resolves.toMatchObject({ disabled: false });
    await expect(enableAccount(deps(), ADMIN, 'window-1')).resolves.toMatchObject({ disabled: false });
    const rotated = await rotateSecret(deps(), ADMIN, 'window-1');
    expect(rotated.account).toEqual({ ...account, updatedAt: '2026-11-21T08:00:00.000Z' });
    const stored = (await store.accounts.get('window-1'))!;
    expect(stored.tokenVersion).toBe(4);
    await expect(verifySecret(clientSecret, stored.secretHash)).resolves.toBe(false);
    await expect(verifySecret(rotated.clientSecret, stored.secretHash)).resolves.toBe(true);
    const entries = (await store.audit.list(0, 100)).slice(1);
    expect(entries.map((e) => [e.action, e.target, e.actor])).toEqual([
      ['account.create', 'window-1', ADMIN],
      ['account.disable', 'window-1', ADMIN],
      ['account.enable', 'window-1', ADMIN],
      ['account.rotate-secret', 'window-1', ADMIN],
    ]);
    const state = { role: 'clerk', department: null, displayName: '一号窗口', disabled: false, pending: false };
    expect(entries.map((e) => e.details)).toEqual([
      { after: { ...state, tokenVersion: 1 } },
      { before: { ...state, tokenVersion: 1 }, after: { ...state, disabled: true, tokenVersion: 2 } },
      { before: { ...state, disabled: true, tokenVersion: 2 }, after: { ...state, tokenVersion: 3 } },
      { before: { ...state, tokenVersion: 3 }, after: { ...state, tokenVersion: 4, secretSetBy: { clientId: 'cli:root', role: 'system' } } },
    ]);
    const text = JSON.stringify(entries);
    for (const secret of [clientSecret, rotated.clientSecret, stored.secretHash]) expect(text).not.toContain(secret);
  });

  test('unknown accounts are ERR_ACCOUNT_NOT_FOUND', async () => {
    for (const work of [
      () => disableAccount(deps(), ADMIN, 'nobody'),
      () => enableAccount(deps(), ADMIN, 'nobody'),
      () => rotateSecret(deps(), ADMIN, 'nobody'),
      () => updateAccount(deps(), ADMIN, 'nobody', { displayName: 'x' }),
      () => getAccount(deps(), '../etc'),
    ]) {
      await expect(work()).rejects.toMatchObject({ code: 'ERR_ACCOUNT_NOT_FOUND' });
    }
  });

  test('updateAccount moves an account between roles and departments, keeping the issuer rule', async () => {
    await department();
    await createAccount(deps(), ADMIN, { role: 'issuer', clientId: 'fz-issuer', department: CREDIT_CODE });
    await createAccount(deps(), ADMIN, { role: 'issuer', clientId: 'fz-issuer-2', department: CREDIT_CODE });
    await createAccount(deps(), ADMIN, { role: 'clerk', clientId: 'window-1' }); // so that fz-issuer is not the last clerk either
    await expect(updateAccount(deps(), ADMIN, 'fz-issuer', { role: 'clerk' })).resolves.toMatchObject({ role: 'clerk', department: null });
    await expect(updateAccount(deps(), ADMIN, 'fz-issuer', { role: 'issuer' })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_INVALID' });
    await expect(updateAccount(deps(), ADMIN, 'fz-issuer', { role: 'issuer', department: CREDIT_CODE })).resolves.toMatchObject({ role: 'issuer', department: CREDIT_CODE });
    const last = (await store.audit.last())!;
    expect(last).toMatchObject({ action: 'account.update', details: { role: { from: 'clerk', to: 'issuer' }, department: { from: null, to: CREDIT_CODE } } });
  });

  test('departments: validated, normalised, audited; updates record what changed', async () => {
    const created = await department();
    expect(created).toEqual({
      creditCode: CREDIT_CODE,
      name: '福州市市场监督管理局',
      divisionCode: '350100',
      licenseTypes: [TEACHER_TYPE],
      // Unsaid, the key is the one `pki department` makes for the credit code.
      signingKey: CREDIT_CODE,
      sealImage: null,
      createdAt: '2026-11-21T08:00:00.000Z',
      updatedAt: '2026-11-21T08:00:00.000Z',
    });
    await expect(department()).rejects.toMatchObject({ code: 'ERR_DEPARTMENT_EXISTS' });
    const base = { creditCode: '91350100M000100Y43', name: 'x', divisionCode: '350100', licenseTypes: [] };
    for (const [input, field] of [
      [{ ...base, divisionCode: '35010' }, 'divisionCode'],
      [{ ...base, divisionCode: '990000' }, 'divisionCode'],
      [{ ...base, licenseTypes: ['11100000000013338W0011'] }, 'licenseTypes'],
      [{ ...base, licenseTypes: ['11100000000013338X001'] }, 'licenseTypes'],
      [{ ...base, signingKey: 'a/b' }, 'signingKey'],
      [{ ...base, sealImage: '../seal.png' }, 'sealImage'],
      [{ ...base, sealImage: 'seal.jpg' }, 'sealImage'],
      [{ ...base, name: '   ' }, 'name'],
    ] as const) {
      await expect(createDepartment(deps(), ADMIN, input)).rejects.toMatchObject({ code: 'ERR_DEPARTMENT_INVALID', details: { field } });
    }
    const strict = { store, clock, isKnownLicenseType: (code: string) => code === TEACHER_TYPE };
    await expect(updateDepartment(strict, ADMIN, CREDIT_CODE, { licenseTypes: ['11100000MB028404XM001'] })).rejects.toMatchObject({
      code: 'ERR_DEPARTMENT_INVALID',
      details: { licenseType: '11100000MB028404XM001' },
    });

    const updated = await updateDepartment(strict, ADMIN, CREDIT_CODE.toLowerCase(), { signingKey: 'fz-2026', sealImage: 'seals/fz.png', name: '福州市市场监督管理局' });
    expect(updated).toMatchObject({ signingKey: 'fz-2026', sealImage: 'seals/fz.png' });
    await expect(getDepartment(deps(), CREDIT_CODE)).resolves.toEqual(updated);
    await expect(listDepartments(deps())).resolves.toEqual([updated]);
    const entries = await store.audit.list(0, 100);
    expect(entries.map((e) => e.action)).toEqual(['department.create', 'department.update']);
    const before = { name: '福州市市场监督管理局', divisionCode: '350100', licenseTypes: [TEACHER_TYPE], signingKey: CREDIT_CODE, sealImage: null };
    expect(entries[0]!.details).toEqual({ before: null, after: before });
    expect(entries[1]!.details).toEqual({
      signingKey: { from: CREDIT_CODE, to: 'fz-2026' },
      sealImage: { from: null, to: 'seals/fz.png' },
      before,
      after: { ...before, signingKey: 'fz-2026', sealImage: 'seals/fz.png' },
    });
    // Nothing changed: nothing written.
    await updateDepartment(deps(), ADMIN, CREDIT_CODE, { name: '福州市市场监督管理局' });
    expect(await store.audit.list(0, 100)).toHaveLength(2);
    await expect(updateDepartment(deps(), ADMIN, DEMO_DEPARTMENT.creditCode, { name: 'x' })).rejects.toMatchObject({ code: 'ERR_DEPARTMENT_NOT_FOUND' });
    await expect(getDepartment(deps(), DEMO_DEPARTMENT.creditCode)).rejects.toMatchObject({ code: 'ERR_DEPARTMENT_NOT_FOUND' });
  });
});
