import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/storage/sqlite/sqlite-store.js';
import { runCli } from '../../src/cli/main.js';
import { createAccount, verifySecret } from '../../src/modules/auth/index.js';
import { discPng, SEAL_BLUE } from '../support/rendering.js';

const NOW = new Date('2026-11-21T08:00:00Z');
const CREDIT_CODE = '91350100M000100Y43';
const TEACHER_TYPE = '11100000000013338W001';
const TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

describe('license-vault admin', () => {
  let dir: string;
  let output: string;
  let stderr: jest.SpiedFunction<typeof process.stderr.write>;
  const run = (...argv: string[]) =>
    runCli(['admin', ...argv], {
      out: (text) => void (output += text),
      env: { VAULT_DATA_DIR: join(dir, 'data'), VAULT_TEMPLATES_DIR: TEMPLATES_DIR, VAULT_CERTS_DIR: join(dir, 'certs') },
      now: () => NOW,
    });
  const json = async (...argv: string[]) => {
    output = '';
    await expect(run(...argv, '--json')).resolves.toBe(0);
    return JSON.parse(output) as Record<string, unknown> & { account: { clientId: string }; clientSecret: string };
  };
  const storedAccount = async (clientId: string) => {
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    try {
      return (await store.accounts.get(clientId))!;
    } finally {
      await store.close();
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-admin-cli-'));
    output = '';
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  test('department create, update and list work on the store under VAULT_DATA_DIR', async () => {
    const created = await json(
      'department',
      'create',
      '--credit-code',
      CREDIT_CODE.toLowerCase(),
      '--name',
      '福州市市场监督管理局',
      '--division-code',
      '350100',
      '--license-types',
      'all',
      '--signing-key',
      CREDIT_CODE,
    );
    expect(created).toMatchObject({ creditCode: CREDIT_CODE, signingKey: CREDIT_CODE });
    expect(created.licenseTypes).toHaveLength(4);
    // A seal image is refused unless VAULT_CERTS_DIR/seals holds it as a usable PNG.
    await expect(run('department', 'update', '--credit-code', CREDIT_CODE, '--seal-image', 'fuzhou/fz.png')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_DEPARTMENT_INVALID'));
    mkdirSync(join(dir, 'certs', 'seals', 'fuzhou'), { recursive: true });
    writeFileSync(join(dir, 'certs', 'seals', 'fuzhou', 'fz.png'), discPng(64, 64, SEAL_BLUE));
    const updated = await json('department', 'update', '--credit-code', CREDIT_CODE, '--license-types', TEACHER_TYPE, '--seal-image', 'fuzhou/fz.png');
    expect(updated).toMatchObject({ licenseTypes: [TEACHER_TYPE], sealImage: 'fuzhou/fz.png' });
    expect(await json('department', 'list')).toEqual({ departments: [updated] });
    output = '';
    await expect(run('department', 'list')).resolves.toBe(0);
    expect(output).toContain(`${CREDIT_CODE}  福州市市场监督管理局  division 350100`);
    await expect(run('department', 'update', '--credit-code', CREDIT_CODE, '--no-seal-image')).resolves.toBe(0);
  });

  test('account create --kind person makes a member of staff for the console, active at once; the list says so; a bad kind is a usage error', async () => {
    const created = await json('account', 'create', '--role', 'sysadmin', '--kind', 'person', '--client-id', 'zhaomin', '--display-name', '赵敏');
    expect(created.account).toMatchObject({ clientId: 'zhaomin', kind: 'person', role: 'sysadmin', pending: false, totpEnrolled: false });
    expect((await storedAccount('zhaomin')).kind).toBe('person');
    output = '';
    await expect(run('account', 'list')).resolves.toBe(0);
    expect(output).toContain('zhaomin  sysadmin (person, no authenticator app yet)  enabled  赵敏');
    await expect(run('account', 'create', '--role', 'sysadmin', '--kind', 'robot')).resolves.not.toBe(0);
    expect((await json('account', 'create', '--role', 'auditor')).account).toMatchObject({ kind: 'service' });
  });

  test('account create prints the secret once; list never shows it; disable, enable and rotate-secret', async () => {
    await json('department', 'create', '--credit-code', CREDIT_CODE, '--name', '福州市市场监督管理局', '--division-code', '350100', '--license-types', TEACHER_TYPE);
    const created = await json('account', 'create', '--role', 'issuer', '--department', CREDIT_CODE, '--client-id', 'fz-issuer', '--display-name', '福州发证');
    expect(created.account).toMatchObject({ clientId: 'fz-issuer', role: 'issuer', department: CREDIT_CODE, displayName: '福州发证', disabled: false });
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(verifySecret(created.clientSecret, (await storedAccount('fz-issuer')).secretHash)).resolves.toBe(true);

    output = '';
    // A second issuer: the last enabled account of a role is never disabled or given another role.
    await expect(run('account', 'create', '--role', 'issuer', '--department', CREDIT_CODE)).resolves.toBe(0);
    expect(output).toMatch(/client id: +issuer-[0-9a-f]{8}\nclient secret: [A-Za-z0-9_-]{43}\n/);

    output = '';
    await expect(run('account', 'list')).resolves.toBe(0);
    const listed = output;
    const listedJson = JSON.stringify(await json('account', 'list'));
    for (const text of [listed, listedJson]) {
      expect(text).toContain('fz-issuer');
      expect(text).not.toContain(created.clientSecret);
      expect(text).not.toContain('scrypt');
    }

    expect(await json('account', 'disable', '--client-id', 'fz-issuer')).toMatchObject({ disabled: true });
    expect((await storedAccount('fz-issuer')).disabled).toBe(true);
    expect(await json('account', 'enable', '--client-id', 'fz-issuer')).toMatchObject({ disabled: false });
    const rotated = await json('account', 'rotate-secret', '--client-id', 'fz-issuer');
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    const stored = await storedAccount('fz-issuer');
    await expect(verifySecret(rotated.clientSecret, stored.secretHash)).resolves.toBe(true);
    await expect(verifySecret(created.clientSecret, stored.secretHash)).resolves.toBe(false);
    expect(await json('account', 'update', '--client-id', 'fz-issuer', '--role', 'auditor', '--no-department')).toMatchObject({ role: 'auditor', department: null });

    // Changes are audited as the CLI user.
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    const entries = await store.audit.list(0, 100);
    await store.close();
    expect(entries.map((e) => e.action)).toEqual([
      'department.create',
      'account.create',
      'account.create',
      'account.disable',
      'account.enable',
      'account.rotate-secret',
      'account.update',
    ]);
    expect(entries.every((e) => e.actor.id.startsWith('cli:') && e.actor.role === 'system')).toBe(true);
  });

  test('the host creates and resets accounts active; approve ends the wait of a secret an administrator set; the last of a role stays', async () => {
    const sysadmin = await json('account', 'create', '--role', 'sysadmin', '--client-id', 'root-sys');
    expect(sysadmin.account).toMatchObject({ role: 'sysadmin', pending: false, secretSetBy: { clientId: expect.stringMatching(/^cli:/), role: 'system' } });
    expect(await json('account', 'rotate-secret', '--client-id', 'root-sys')).toMatchObject({ account: { pending: false } });

    // A clerk created through the API by that system administrator waits for a security administrator, or the host.
    const store = openSqliteStore({ file: join(dir, 'data', 'vault.db') });
    try {
      await createAccount({ store, clock: { now: () => NOW } }, { id: 'root-sys', role: 'sysadmin' }, { role: 'clerk', clientId: 'window-1' });
    } finally {
      await store.close();
    }
    output = '';
    await expect(run('account', 'list')).resolves.toBe(0);
    expect(output).toMatch(/window-1 {2}clerk {2}PENDING approval/);
    expect(await json('account', 'approve', '--client-id', 'window-1')).toMatchObject({ clientId: 'window-1', pending: false });
    await expect(run('account', 'approve', '--client-id', 'window-1')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_ACCOUNT_NOT_PENDING'));

    await expect(run('account', 'disable', '--client-id', 'root-sys')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_ACCOUNT_LAST_OF_ROLE'));
    await expect(run('account', 'update', '--client-id', 'root-sys', '--role', 'secadmin')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_ACCOUNT_LAST_OF_ROLE'));
    expect((await storedAccount('root-sys')).role).toBe('sysadmin');
  });

  test('refusals exit 1 with a stable code; bad command lines exit 2', async () => {
    await expect(run('account', 'create', '--role', 'issuer')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_ACCOUNT_INVALID'));
    await expect(run('account', 'disable', '--client-id', 'nobody')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_ACCOUNT_NOT_FOUND'));
    await expect(run('account', 'create', '--role', 'clerk', '--client-id', 'dup-clerk')).resolves.toBe(0);
    await expect(run('account', 'create', '--role', 'clerk', '--client-id', 'dup-clerk')).resolves.toBe(1);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_ACCOUNT_EXISTS'));
    await expect(run('department', 'create', '--credit-code', CREDIT_CODE, '--name', 'x', '--division-code', '350100', '--license-types', '11100000MB018476XW009')).resolves.toBe(
      1,
    );
    expect(stderr).toHaveBeenLastCalledWith(expect.stringContaining('ERR_DEPARTMENT_INVALID'));

    await expect(run('account', 'create')).resolves.toBe(2);
    await expect(run('account', 'create', '--role', 'root')).resolves.toBe(2);
    await expect(run('account', 'create', '--role', 'clerk', '--bogus')).resolves.toBe(2);
    await expect(run('account', 'explode')).resolves.toBe(2);
    await expect(run('department')).resolves.toBe(2);
    await expect(run('department', 'update', '--credit-code', CREDIT_CODE)).resolves.toBe(2);
    await expect(run('nothing')).resolves.toBe(2);
    await expect(run()).resolves.toBe(2);
  });
});
