import { parseArgs } from 'node:util';
import type { AuditActor } from '../modules/audit/index.js';
import { SealImageFolder } from '../adapters/pdf/seal-image-folder.js';
import { pkiPaths } from '../adapters/pki/pki-directory.js';
import { loadTemplateDirectory } from '../adapters/templates/template-directory.js';
import { openStore } from '../composition/open-store.js';
import { loadConfig } from '../config/index.js';
import {
  ACCOUNT_KINDS,
  approveAccount,
  createAccount,
  disableAccount,
  enableAccount,
  isRole,
  listAccounts,
  ROLES,
  rotateSecret,
  updateAccount,
  type AccountKind,
  type AccountView,
  type AccountWithSecret,
  type Role,
} from '../modules/auth/index.js';
import { createDepartment, listDepartments, updateDepartment, type DepartmentRecord } from '../modules/departments/index.js';
import type { VaultStore } from '../composition/vault-store.js';
import type { SealImageSource } from '../modules/templates/index.js';
import type { Clock } from '../shared/clock.js';
import { cliActor } from './cli-actor.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const ADMIN_USAGE = `license-vault admin department create --credit-code CODE --name NAME --division-code CODE --license-types CODE[,CODE…]|all [--signing-key NAME] [--seal-image PATH] [--json]
license-vault admin department update --credit-code CODE [--name NAME] [--division-code CODE] [--license-types CODE[,CODE…]|all] [--signing-key NAME|--no-signing-key] [--seal-image PATH|--no-seal-image] [--json]
license-vault admin department list [--json]
license-vault admin account create --role ${ROLES.join('|')} [--kind service|person] [--client-id ID] [--department CODE] [--display-name NAME] [--json]
license-vault admin account update --client-id ID [--role ROLE] [--department CODE|--no-department] [--display-name NAME] [--json]
license-vault admin account list [--json]
license-vault admin account disable|enable --client-id ID [--json]
license-vault admin account rotate-secret --client-id ID [--json]
license-vault admin account approve --client-id ID [--json]

Works directly on the configured store (VAULT_DATA_DIR/vault.db, or MONGODB_URI).
A client secret is printed once, at create and rotate-secret: store it then.
The command line is the host's bootstrap and break-glass path (actor role
system): it may do what any administrator may, and the accounts it creates or
resets are active at once; through the API an administrator's new or reset
secret waits for the other managing administrator's approval (approve ends
that wait from the host). The last enabled, approved account of a role is
never disabled or given another role.
--kind person: a member of staff who signs in to the console (/console) with the
client id as user name, the secret as password and a one-time password (enrolled
at the first sign-in); service (the default): a program with bearer tokens.
--department CODE: an issuer's department (required), or the department a clerk
serves at (optional: the office that redeems holders' 用证码).
--signing-key NAME: the department signs with VAULT_CERTS_DIR/departments/NAME.p12
(or, with VAULT_SIGNER=pkcs11, the token key certified by departments/NAME.pem);
without one it cannot issue. --seal-image PATH: a PNG under VAULT_CERTS_DIR/seals/,
drawn on its licenses in place of the drawn seal; refused unless it loads.`;

interface Context {
  readonly store: VaultStore;
  readonly clock: Clock;
  readonly actor: AuditActor;
  readonly templatesDir: string;
  /** The seals folder, where a department's sealImage must be found. */
  readonly sealImages: SealImageSource;
  readonly io: CommandIo;
}

function kindOf(value: string | undefined): AccountKind | undefined {
  if (value !== undefined && !(ACCOUNT_KINDS as readonly string[]).includes(value)) throw new UsageError(`--kind must be one of ${ACCOUNT_KINDS.join(', ')}`);
  return value as AccountKind | undefined;
}

function roleOf(value: string): Role;
function roleOf(value: string | undefined): Role | undefined;
function roleOf(value: string | undefined): Role | undefined {
  if (value === undefined) return undefined;
  if (!isRole(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  return value;
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required`);
  return value;
}

/** `--license-types a,b` or `all` (every type in the template catalogue); with the catalogue check. */
async function licenseTypesOf(
  context: Context,
  value: string | undefined,
): Promise<{ codes: string[] | undefined; isKnown: (code: string) => boolean } | { codes: undefined; isKnown: undefined }> {
  if (value === undefined) return { codes: undefined, isKnown: undefined };
  const known = (await loadTemplateDirectory(context.templatesDir, context.clock)).latest().map((template) => template.catalogue.typeCode);
  const codes =
    value.trim() === 'all'
      ? known
      : value
          .split(',')
          .map((code) => code.trim())
          .filter(Boolean);
  return { codes, isKnown: (code) => known.includes(code) };
}

function describeDepartment(department: DepartmentRecord): string {
  return `${department.creditCode}  ${department.name}  division ${department.divisionCode}  key ${department.signingKey ?? '-'}  seal ${department.sealImage ?? 'drawn'}\n  license types: ${department.licenseTypes.join(', ') || '(none)'}`;
}

function describeAccount(account: AccountView): string {
  const state = account.disabled ? 'DISABLED' : account.pending ? 'PENDING approval' : 'enabled';
  const kind = account.kind === 'person' ? ` (person${account.totpEnrolled ? '' : ', no authenticator app yet'})` : '';
  return `${account.clientId}  ${account.role}${account.department ? ` of ${account.department}` : ''}${kind}  ${state}  ${account.displayName}`;
}

function printSecret(io: CommandIo, json: boolean, verb: string, result: AccountWithSecret): void {
  if (json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  io.out(
    `${verb} ${describeAccount(result.account)}\nclient id:     ${result.account.clientId}\nclient secret: ${result.clientSecret}\nThe secret is shown only now: store it safely.\n`,
  );
}

/** The options `department create` and `department update` share. */
const DEPARTMENT_OPTIONS = {
  'credit-code': { type: 'string' },
  name: { type: 'string' },
  'division-code': { type: 'string' },
  'license-types': { type: 'string' },
  'signing-key': { type: 'string' },
  'seal-image': { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function department(context: Context, args: readonly string[]): Promise<void> {
  const [action, ...rest] = args;
  const { io } = context;
  switch (action) {
    case 'create': {
      const { values } = parseArgs({
        args: rest,
        options: DEPARTMENT_OPTIONS,
        strict: true,
      });
      const types = await licenseTypesOf(context, required(values['license-types'], '--license-types'));
      const created = await createDepartment({ store: context.store, clock: context.clock, isKnownLicenseType: types.isKnown, sealImages: context.sealImages }, context.actor, {
        creditCode: required(values['credit-code'], '--credit-code'),
        name: required(values.name, '--name'),
        divisionCode: required(values['division-code'], '--division-code'),
        licenseTypes: types.codes ?? [],
        signingKey: values['signing-key'],
        sealImage: values['seal-image'] ?? null,
      });
      io.out(values.json ? `${JSON.stringify(created, null, 2)}\n` : `department created:\n${describeDepartment(created)}\n`);
      return;
    }
    case 'update': {
      const { values } = parseArgs({
        args: rest,
        options: { ...DEPARTMENT_OPTIONS, 'no-signing-key': { type: 'boolean' }, 'no-seal-image': { type: 'boolean' } },
        strict: true,
      });
      if (values['signing-key'] !== undefined && values['no-signing-key']) throw new UsageError('give --signing-key or --no-signing-key, not both');
      if (values['seal-image'] !== undefined && values['no-seal-image']) throw new UsageError('give --seal-image or --no-seal-image, not both');
      const types = await licenseTypesOf(context, values['license-types']);
      const changes = {
        name: values.name,
        divisionCode: values['division-code'],
        licenseTypes: types.codes,
        signingKey: values['no-signing-key'] ? null : values['signing-key'],
        sealImage: values['no-seal-image'] ? null : values['seal-image'],
      };
      if (Object.values(changes).every((value) => value === undefined)) throw new UsageError('department update needs something to change');
      const updated = await updateDepartment(
        { store: context.store, clock: context.clock, isKnownLicenseType: types.isKnown, sealImages: context.sealImages },
        context.actor,
        required(values['credit-code'], '--credit-code'),
        changes,
      );
      io.out(values.json ? `${JSON.stringify(updated, null, 2)}\n` : `department now:\n${describeDepartment(updated)}\n`);
      return;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
      const departments = await listDepartments(context);
      io.out(
        values.json
          ? `${JSON.stringify({ departments }, null, 2)}\n`
          : `departments (${departments.length}):\n${departments.map((d) => `- ${describeDepartment(d)}`).join('\n')}\n`,
      );
      return;
    }
    case undefined:
      throw new UsageError('admin department needs an action');
    default:
      throw new UsageError(`unknown admin department action ${action}`);
  }
}

async function account(context: Context, args: readonly string[]): Promise<void> {
  const [action, ...rest] = args;
  const { io } = context;
  const deps = { store: context.store, clock: context.clock };
  switch (action) {
    case 'create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          role: { type: 'string' },
          kind: { type: 'string' },
          'client-id': { type: 'string' },
          department: { type: 'string' },
          'display-name': { type: 'string' },
          json: { type: 'boolean' },
        },
        strict: true,
      });
      const role = roleOf(required(values.role, '--role'));
      const created = await createAccount(deps, context.actor, {
        role,
        kind: kindOf(values.kind),
        clientId: values['client-id'],
        department: values.department ?? null,
        displayName: values['display-name'],
      });
      printSecret(io, values.json ?? false, 'account created:', created);
      return;
    }
    case 'update': {
      const { values } = parseArgs({
        args: rest,
        options: {
          'client-id': { type: 'string' },
          role: { type: 'string' },
          department: { type: 'string' },
          'no-department': { type: 'boolean' },
          'display-name': { type: 'string' },
          json: { type: 'boolean' },
        },
        strict: true,
      });
      if (values.department !== undefined && values['no-department']) throw new UsageError('give --department or --no-department, not both');
      const changes = { role: roleOf(values.role), department: values['no-department'] ? null : values.department, displayName: values['display-name'] };
      if (Object.values(changes).every((value) => value === undefined)) throw new UsageError('account update needs something to change');
      const updated = await updateAccount(deps, context.actor, required(values['client-id'], '--client-id'), changes);
      io.out(values.json ? `${JSON.stringify(updated, null, 2)}\n` : `account now: ${describeAccount(updated)}\n`);
      return;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
      const accounts = await listAccounts(deps);
      io.out(values.json ? `${JSON.stringify({ accounts }, null, 2)}\n` : `accounts (${accounts.length}):\n${accounts.map((a) => `- ${describeAccount(a)}`).join('\n')}\n`);
      return;
    }
    case 'disable':
    case 'enable':
    case 'approve': {
      const { values } = parseArgs({ args: rest, options: { 'client-id': { type: 'string' }, json: { type: 'boolean' } }, strict: true });
      const clientId = required(values['client-id'], '--client-id');
      const change = { disable: disableAccount, enable: enableAccount, approve: approveAccount }[action];
      const result = await change(deps, context.actor, clientId);
      io.out(values.json ? `${JSON.stringify(result, null, 2)}\n` : `account now: ${describeAccount(result)}\n`);
      return;
    }
    case 'rotate-secret': {
      const { values } = parseArgs({ args: rest, options: { 'client-id': { type: 'string' }, json: { type: 'boolean' } }, strict: true });
      const rotated = await rotateSecret(deps, context.actor, required(values['client-id'], '--client-id'));
      printSecret(io, values.json ?? false, 'secret rotated for', rotated);
      return;
    }
    case undefined:
      throw new UsageError('admin account needs an action');
    default:
      throw new UsageError(`unknown admin account action ${action}`);
  }
}

/** `license-vault admin …`: departments and accounts, directly on the configured store. */
export async function runAdminCommand(args: readonly string[], io: CommandIo): Promise<void> {
  const [subject, ...rest] = args;
  if (subject !== 'department' && subject !== 'account') {
    throw new UsageError(subject === undefined ? 'admin needs department or account' : `unknown admin subject ${subject}`);
  }
  const config = loadConfig(io.env);
  const store = await openStore(config);
  try {
    const context: Context = {
      store,
      clock: { now: io.now },
      actor: cliActor(),
      templatesDir: config.templatesDir,
      sealImages: new SealImageFolder(pkiPaths(config.certsDir).sealsDir),
      io,
    };
    await (subject === 'department' ? department(context, rest) : account(context, rest));
  } finally {
    await store.close();
  }
}
