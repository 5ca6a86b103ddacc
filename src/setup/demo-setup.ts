import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEV_IDP_HOLDERS_FILE, type DevIdpHolder } from '../adapters/dev-idp/holder-directory.js';
import {
  generateClientSecret,
  hashSecret,
  insertAccount,
  prepareAccount,
  ROLES,
  SYSTEM_ACTOR,
  type AccountAdministrationRepositories,
  type AccountRecord,
  type Role,
} from '../modules/auth/index.js';
import type { HolderType } from '../modules/identity/index.js';
import { DEMO_DEPARTMENT, insertDepartment, prepareDepartment } from '../modules/departments/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

const DISPLAY: Readonly<Record<Role, string>> = { issuer: '发证', clerk: '窗口', sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员' };

/** The demo department and accounts are stored together, and only into an embedded store that has no account yet. */
export type DemoSetupStore = UnitOfWork<AccountAdministrationRepositories> & Pick<AccountAdministrationRepositories, 'accounts'> & { readonly kind: string };

export interface DemoSetupOptions {
  readonly store: DemoSetupStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `{dataDir}/demo-credentials.json` receives the credentials. */
  readonly dataDir: string;
  /** VAULT_DEMO_SETUP. */
  readonly mode: 'auto' | 'off';
  /** Every license type code the demo department may issue (the template catalogue's). */
  readonly licenseTypes: readonly string[];
  /** Enrols the demo staff's authenticator apps; without it no demo staff are made. */
  readonly staffTotp?: DemoStaffTotp;
}

/** Makes a TOTP secret for a demo member of staff and seals it as the store keeps it. */
export interface DemoStaffTotp {
  generateSecret(): string;
  seal(clientId: string, secret: string): string;
}

/** A member of staff who signs in to the console (/console) with this user name, password and the codes of this TOTP secret. */
export interface DemoStaffUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** Credit code of their department (the demo department for the clerk and the issuer). */
  readonly department: string | null;
  readonly password: string;
  /** Base32, for an authenticator app (SHA-1, 6 digits, 30 s). */
  readonly totpSecret: string;
}

/** The demo staff: one person per role. */
const DEMO_STAFF: readonly { readonly username: string; readonly displayName: string; readonly role: Role }[] = [
  { username: 'wangfang', displayName: '王芳', role: 'clerk' },
  { username: 'liqiang', displayName: '李强', role: 'issuer' },
  { username: 'zhaomin', displayName: '赵敏', role: 'sysadmin' },
  { username: 'sunli', displayName: '孙丽', role: 'secadmin' },
  { username: 'zhoujie', displayName: '周杰', role: 'auditor' },
];

export type DemoSetupResult =
  | { readonly created: false; readonly reason: 'off' | 'not-embedded' | 'has-accounts' }
  | { readonly created: true; readonly file: string; readonly clientIds: readonly string[]; readonly staff: readonly string[] };

/** A holder who signs in at the development identity provider (/dev-idp) with this number and password. */
export interface DemoHolder {
  readonly type: HolderType;
  readonly number: string;
  readonly name: string;
  readonly password: string;
  /** A company's legal representative, who signs in for it with its credit code. */
  readonly legalRepresentative?: string;
}

/** The shape of `demo-credentials.json`. */
export interface DemoCredentials {
  readonly accounts: readonly { readonly role: Role; readonly clientId: string; readonly clientSecret: string }[];
  readonly holders: readonly DemoHolder[];
  /** People who sign in to the console. */
  readonly staff: readonly DemoStaffUser[];
}

/** The demo holders: GB 11643's example citizen and GB 32100's example company. */
const DEMO_HOLDERS: readonly Omit<DemoHolder, 'password'>[] = [
  { type: 'citizen', number: '11010519491231002X', name: '李秀英' },
  { type: 'organization', number: '91350100M000100Y43', name: '福州演示科技有限公司', legalRepresentative: '张伟' },
];

/**
 * First start of the embedded default with no accounts: a demo department
 * allowed to issue every template and one active account per role (issuer,
 * clerk, sysadmin, secadmin, auditor: the host creates them, so none waits
 * for approval; the issuer and the clerk belong to the demo department), one
 * person per role who signs in to the console (enrolled with a TOTP secret), their
 * credentials written to `{dataDir}/demo-credentials.json` (mode 0600), with
 * two demo holders (a citizen and a company) and their passwords for the
 * development identity provider, which reads their scrypt hashes from
 * `{dataDir}/dev-idp-holders.json`.
 * The file is written (under a temporary name) before the accounts are
 * committed and renamed into place after, so no secret is ever lost or
 * stale. Does nothing when turned off, on MongoDB, or once any account exists.
 */
export async function ensureDemoSetup(options: DemoSetupOptions): Promise<DemoSetupResult> {
  if (options.mode === 'off') return { created: false, reason: 'off' };
  if (options.store.kind !== 'sqlite') return { created: false, reason: 'not-embedded' };
  if ((await options.store.accounts.list()).length > 0) return { created: false, reason: 'has-accounts' };

  const now = options.clock.now();
  const department = prepareDepartment(
    {
      creditCode: DEMO_DEPARTMENT.creditCode,
      name: DEMO_DEPARTMENT.name,
      divisionCode: DEMO_DEPARTMENT.divisionCode,
      licenseTypes: options.licenseTypes,
      signingKey: DEMO_DEPARTMENT.creditCode,
      sealImage: null,
    },
    now,
  );
  const prepared: { record: AccountRecord; clientSecret: string }[] = [];
  for (const role of ROLES) {
    prepared.push(
      await prepareAccount(
        { clientId: `demo-${role}`, role, department: role === 'issuer' || role === 'clerk' ? department.creditCode : null, displayName: `演示${DISPLAY[role]}账号` },
        now,
        SYSTEM_ACTOR,
      ),
    );
  }
  const staff = options.staffTotp ? await prepareDemoStaff(options.staffTotp, department.creditCode, now) : [];
  const holders = DEMO_HOLDERS.map((holder) => ({ ...holder, password: generateClientSecret().slice(0, 16) }));
  const identityProviderHolders: DevIdpHolder[] = await Promise.all(
    holders.map(async ({ type, number, name, password }) => ({ type, number, name, passwordHash: await hashSecret(password) })),
  );
  const credentials: DemoCredentials = {
    accounts: prepared.map(({ record, clientSecret }) => ({ role: record.role, clientId: record.clientId, clientSecret })),
    holders,
    staff: staff.map(({ user }) => user),
  };

  const file = join(options.dataDir, DEMO_CREDENTIALS_FILE);
  const pending = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(pending, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    const inserted = await options.store.transaction(async (tx) => {
      if ((await tx.accounts.list()).length > 0) return false;
      if (!(await tx.departments.get(department.creditCode))) await insertDepartment(tx, department, SYSTEM_ACTOR);
      for (const { record } of [...prepared, ...staff]) await insertAccount(tx, record, SYSTEM_ACTOR);
      return true;
    });
    if (!inserted) {
      await rm(pending, { force: true });
      return { created: false, reason: 'has-accounts' };
    }
  } catch (error) {
    await rm(pending, { force: true });
    throw error;
  }
  await writeFileAtomically(join(options.dataDir, DEV_IDP_HOLDERS_FILE), `${JSON.stringify(identityProviderHolders, null, 2)}\n`);
  await rename(pending, file);
  const clientIds = prepared.map(({ record }) => record.clientId);
  const usernames = staff.map(({ user }) => user.username);
  options.logger.warn('created DEMO accounts (one per role), demo staff and the demo department: for development only, turn off with VAULT_DEMO_SETUP=off', {
    file,
    clientIds,
    staff: usernames,
    department: department.creditCode,
    ...(usernames.length > 0 ? { console: '/console: sign in with a staff user name, its password from the file, and the code `npm run cli -- demo-otp USER` prints' } : {}),
  });
  return { created: true, file, clientIds, staff: usernames };
}

/** The demo staff as person accounts, approved (the host makes them) and enrolled with a TOTP secret each. */
async function prepareDemoStaff(totp: DemoStaffTotp, demoDepartment: string, now: Date): Promise<{ record: AccountRecord; user: DemoStaffUser }[]> {
  const prepared: { record: AccountRecord; user: DemoStaffUser }[] = [];
  for (const { username, displayName, role } of DEMO_STAFF) {
    const departmentOf = role === 'issuer' || role === 'clerk' ? demoDepartment : null;
    const { record, clientSecret } = await prepareAccount({ clientId: username, kind: 'person', role, department: departmentOf, displayName }, now, SYSTEM_ACTOR);
    const totpSecret = totp.generateSecret();
    prepared.push({
      record: { ...record, totp: { sealedSecret: totp.seal(username, totpSecret), enrolledAt: now.toISOString(), lastStep: 0 } },
      user: { username, displayName, role, department: departmentOf, password: clientSecret, totpSecret },
    });
  }
  return prepared;
}

async function writeFileAtomically(file: string, text: string): Promise<void> {
  const pending = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(pending, text, { mode: 0o600, flag: 'wx' });
  await rename(pending, file);
}
