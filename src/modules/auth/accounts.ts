import { randomBytes } from 'node:crypto';
import type { AuditActor, AuditLog } from '../audit/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import { parseCreditCode } from '../identity/index.js';
import type { Clock } from '../../shared/clock.js';
import { AdministrationError, isVaultError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { ACCOUNT_KINDS, kindOf, ROLES, tokenVersionOf, type AccountKind, type AccountRecord, type AccountRepository, type Role, type SecretSetter } from './account.js';
import { approverRoleOf, assertDuty, assertNotOwnAccount, CREDENTIAL_ROLE, isHost, isUsable, managerRoleOf } from './duties.js';
import { generateClientSecret, hashSecret } from './secrets.js';

/** An account as shown to administrators: never the secret or its hash. */
export interface AccountView {
  readonly clientId: string;
  /** `person`: signs in to the console with a password and a one-time password; `service`: a program with bearer tokens. */
  readonly kind: AccountKind;
  readonly role: Role;
  readonly department: string | null;
  readonly displayName: string;
  readonly disabled: boolean;
  /** Its secret waits for approval by an administrator of the other managing role: no token until then. */
  readonly pending: boolean;
  /** Who set the current secret; null on accounts older than the separation of duties. */
  readonly secretSetBy: SecretSetter | null;
  /** A person has enrolled an authenticator app (always false for a service account). */
  readonly totpEnrolled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An account with the secret that was just made for it: returned once, at creation or rotation. */
export interface AccountWithSecret {
  readonly account: AccountView;
  readonly clientSecret: string;
}

/** What an account change reads and writes together: the account, the department it is bound to, its audit entry. */
export interface AccountAdministrationRepositories {
  readonly accounts: AccountRepository;
  readonly departments: DepartmentRepository;
  readonly audit: AuditLog;
}

export type AccountStore = UnitOfWork<AccountAdministrationRepositories> & Pick<AccountAdministrationRepositories, 'accounts'>;

/** What the account use cases need. */
export interface AccountDependencies {
  readonly store: AccountStore;
  readonly clock: Clock;
}

export interface NewAccount {
  /** Chosen by the administrator, or generated as `{role}-{8 hex}`. */
  readonly clientId?: string | undefined;
  readonly role: Role;
  /** `service` (the default) or `person`. */
  readonly kind?: AccountKind | undefined;
  /** Credit code of an existing department: required for `issuer`, optional for `clerk` (the office it serves), refused for other roles. */
  readonly department?: string | null | undefined;
  /** Defaults to the client id. */
  readonly displayName?: string | undefined;
}

export interface AccountChanges {
  readonly role?: Role | undefined;
  /** Give null to clear (a clerk of no department, or a role other than issuer and clerk). */
  readonly department?: string | null | undefined;
  readonly displayName?: string | undefined;
}

export const CLIENT_ID_PATTERN = /^[a-z][a-z0-9-]{2,63}$/;
export const MAX_DISPLAY_NAME_LENGTH = 100;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isValidClientId(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_ID_PATTERN.test(value);
}

/** A fresh client id such as `issuer-3f9a0c12`. */
export function generateClientId(role: Role): string {
  return `${role}-${randomBytes(4).toString('hex')}`;
}

export function toAccountView(record: AccountRecord): AccountView {
  return {
    clientId: record.clientId,
    kind: kindOf(record),
    role: record.role,
    department: record.department,
    displayName: record.displayName,
    disabled: record.disabled,
    pending: record.pending === true,
    secretSetBy: record.secretSetBy ?? null,
    totpEnrolled: record.totp !== undefined,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** What an audit entry records of an account before and after a change: never the secret or its hash. */
export function accountState(record: AccountRecord): Record<string, unknown> {
  return {
    role: record.role,
    department: record.department,
    displayName: record.displayName,
    disabled: record.disabled,
    pending: record.pending === true,
    tokenVersion: tokenVersionOf(record),
    // People only, so that the entries of service accounts read as they always have.
    ...(kindOf(record) === 'person' ? { kind: 'person', totpEnrolled: record.totp !== undefined } : {}),
  };
}

/** Who set a secret, and whether the account must wait for approval: not when the host set it. */
function secretSetting(actor: AuditActor): { secretSetBy: SecretSetter; pending: boolean } {
  return { secretSetBy: { clientId: actor.id, role: actor.role }, pending: !isHost(actor) };
}

function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function invalid(field: string, message: string): AdministrationError {
  return new AdministrationError('ERR_ACCOUNT_INVALID', `${field}: ${message}`, { field });
}

function notFound(clientId: string): NotFoundError {
  return new NotFoundError('ERR_ACCOUNT_NOT_FOUND', `no account ${clientId}`, { clientId });
}

function checkClientId(value: unknown): string {
  if (!isValidClientId(value)) throw invalid('clientId', 'must be 3–64 characters a-z, 0-9 and -, starting with a letter');
  return value;
}

function checkRole(value: unknown): Role {
  if (!isRole(value)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  return value;
}

function checkKind(value: unknown): AccountKind {
  if (value === undefined) return 'service';
  if (!(ACCOUNT_KINDS as readonly unknown[]).includes(value)) throw invalid('kind', `must be one of ${ACCOUNT_KINDS.join(', ')}`);
  return value as AccountKind;
}

function checkDisplayName(value: unknown): string {
  if (typeof value !== 'string') throw invalid('displayName', 'must be a string');
  const name = value.trim();
  if (name.length === 0 || name.length > MAX_DISPLAY_NAME_LENGTH) throw invalid('displayName', `must have 1–${MAX_DISPLAY_NAME_LENGTH} characters`);
  if (hasControlCharacter(name)) throw invalid('displayName', 'must not contain control characters');
  return name;
}

/** Whether accounts of `role` belong to a department: issuers always, clerks when given one (the office that redeems 用证码), others never. */
export function takesDepartment(role: Role): boolean {
  return role === 'issuer' || role === 'clerk';
}

/** The department an account of `role` is bound to: a normalised credit code for issuers, and for clerks given one; null otherwise. */
function checkDepartmentFor(role: Role, department: string | null | undefined): string | null {
  if (role === 'issuer' && (department === null || department === undefined)) throw invalid('department', 'an issuer account needs the credit code of its department');
  if (department === null || department === undefined) return null;
  if (!takesDepartment(role)) throw invalid('department', `a ${role} account is bound to no department`);
  return parseCreditCode(department).value;
}

async function requireDepartment(tx: AccountAdministrationRepositories, creditCode: string | null): Promise<void> {
  if (creditCode !== null && !(await tx.departments.get(creditCode))) {
    throw new AdministrationError('ERR_ACCOUNT_INVALID', `department: no department ${creditCode}`, { field: 'department', department: creditCode });
  }
}

/** Validates a new account and hashes a fresh secret for it, outside any transaction (scrypt is slow). */
export async function prepareAccount(input: NewAccount, now: Date, actor: AuditActor): Promise<{ record: AccountRecord; clientSecret: string }> {
  const role = checkRole(input.role);
  const kind = checkKind(input.kind);
  assertDuty(actor, managerRoleOf(role), `creating a ${role} account`);
  const clientId = input.clientId === undefined ? generateClientId(role) : checkClientId(input.clientId);
  const department = checkDepartmentFor(role, input.department);
  const displayName = input.displayName === undefined ? clientId : checkDisplayName(input.displayName);
  const clientSecret = generateClientSecret();
  const at = now.toISOString();
  const record: AccountRecord = {
    clientId,
    kind,
    role,
    department,
    displayName,
    secretHash: await hashSecret(clientSecret),
    disabled: false,
    ...secretSetting(actor),
    tokenVersion: 1,
    createdAt: at,
    updatedAt: at,
  };
  return { record, clientSecret };
}

/** Inserts a prepared account inside `tx`, with its audit entry. */
export async function insertAccount(tx: AccountAdministrationRepositories, record: AccountRecord, actor: AuditActor): Promise<void> {
  await requireDepartment(tx, record.department);
  if (await tx.accounts.get(record.clientId)) throw new AdministrationError('ERR_ACCOUNT_EXISTS', `account ${record.clientId} already exists`, { clientId: record.clientId });
  try {
    await tx.accounts.insert(record);
  } catch (error) {
    if (isVaultError(error) && error.code === 'ERR_STORE_DUPLICATE') {
      throw new AdministrationError('ERR_ACCOUNT_EXISTS', `account ${record.clientId} already exists`, { clientId: record.clientId }, { cause: error });
    }
    throw error;
  }
  await tx.audit.append({
    at: record.createdAt,
    actor,
    action: 'account.create',
    target: record.clientId,
    details: { after: accountState(record) },
  });
}

/**
 * Creates an account; the returned secret is the only copy there will ever be.
 * Created by an administrator, the account is pending until the other
 * managing role approves it; created by the host, it is active at once.
 */
export async function createAccount(deps: AccountDependencies, actor: AuditActor, input: NewAccount): Promise<AccountWithSecret> {
  const { record, clientSecret } = await prepareAccount(input, deps.clock.now(), actor);
  await deps.store.transaction((tx) => insertAccount(tx, record, actor));
  return { account: toAccountView(record), clientSecret };
}

type Change = { next: AccountRecord; details: Record<string, unknown> } | null;

/**
 * Reads the account inside a transaction, applies `change` and, if anything
 * changed, writes it back with an audit entry. Returns the stored account.
 */
async function changeAccount(
  deps: AccountDependencies,
  actor: AuditActor,
  clientId: string,
  action: string,
  change: (current: AccountRecord, tx: AccountAdministrationRepositories) => Promise<Change> | Change,
): Promise<AccountRecord> {
  if (!isValidClientId(clientId)) throw notFound(clientId);
  return deps.store.transaction(async (tx) => {
    const current = await tx.accounts.get(clientId);
    if (!current) throw notFound(clientId);
    const changed = await change(current, tx);
    if (!changed) return current;
    const at = deps.clock.now().toISOString();
    const next = { ...changed.next, updatedAt: at };
    await tx.accounts.update(next);
    await tx.audit.append({ at, actor, action, target: clientId, details: changed.details });
    return next;
  });
}

/** The next token version: earlier tokens of the account stop working. */
function withNewTokenVersion(record: AccountRecord): AccountRecord {
  const { secretVersion: _legacy, ...rest } = record;
  return { ...rest, tokenVersion: tokenVersionOf(record) + 1 };
}

/** A change recorded as the account's state before and after. */
function stateChange(current: AccountRecord, next: AccountRecord): Change {
  return { next, details: { before: accountState(current), after: accountState(next) } };
}

/**
 * Throws ERR_ACCOUNT_LAST_OF_ROLE when `account` is the last enabled, approved account of its role.
 * Two administrators each disabling one of the last two cannot both pass: every change appends to the
 * audit log in the same transaction, and appends serialise on its head (MongoDB retries the loser,
 * which then sees the other's change).
 */
async function assertNotLastOfRole(tx: AccountAdministrationRepositories, account: AccountRecord): Promise<void> {
  if (!isUsable(account)) return;
  const others = (await tx.accounts.list()).filter((other) => other.role === account.role && other.clientId !== account.clientId && isUsable(other));
  if (others.length === 0) {
    throw new AdministrationError('ERR_ACCOUNT_LAST_OF_ROLE', `${account.clientId} is the last enabled, approved ${account.role} account`, {
      clientId: account.clientId,
      role: account.role,
    });
  }
}

/**
 * Changes an account's role, department or display name. A role change is
 * the security administrator's (and may carry the department the new role
 * needs); the department and display name are changed by the role that
 * manages the account (see {@link managerRoleOf}). A role or department
 * change cuts off the account's tokens.
 */
export async function updateAccount(deps: AccountDependencies, actor: AuditActor, clientId: string, changes: AccountChanges): Promise<AccountView> {
  const record = await changeAccount(deps, actor, clientId, 'account.update', async (current, tx) => {
    const role = changes.role === undefined ? current.role : checkRole(changes.role);
    assertDuty(actor, role !== current.role ? CREDENTIAL_ROLE : managerRoleOf(current.role), role !== current.role ? 'changing a role' : `changing a ${current.role} account`);
    assertNotOwnAccount(actor, current.clientId);
    // Without a department given, an account keeps its own while its role stays or becomes an issuer; a new role of another kind starts without one.
    const keeps = role === current.role || role === 'issuer';
    const requested = changes.department === undefined ? (keeps ? current.department : null) : changes.department;
    const department = checkDepartmentFor(role, requested);
    if (department !== current.department) await requireDepartment(tx, department);
    const displayName = changes.displayName === undefined ? current.displayName : checkDisplayName(changes.displayName);
    const details: Record<string, unknown> = {};
    if (role !== current.role) details.role = { from: current.role, to: role };
    if (department !== current.department) details.department = { from: current.department, to: department };
    if (displayName !== current.displayName) details.displayName = { from: current.displayName, to: displayName };
    if (Object.keys(details).length === 0) return null;
    if (role !== current.role) await assertNotLastOfRole(tx, current);
    const changed = { ...current, role, department, displayName };
    const next = role !== current.role || department !== current.department ? withNewTokenVersion(changed) : changed;
    if (tokenVersionOf(next) !== tokenVersionOf(current)) details.tokenVersion = { from: tokenVersionOf(current), to: tokenVersionOf(next) };
    return { next, details };
  });
  return toAccountView(record);
}

/** Disables an account (a lock: the security administrator's): it gets no new tokens and its current tokens stop working. Idempotent. */
export async function disableAccount(deps: AccountDependencies, actor: AuditActor, clientId: string): Promise<AccountView> {
  const record = await changeAccount(deps, actor, clientId, 'account.disable', async (current, tx) => {
    assertDuty(actor, CREDENTIAL_ROLE, 'disabling an account');
    assertNotOwnAccount(actor, current.clientId);
    if (current.disabled) return null;
    await assertNotLastOfRole(tx, current);
    return stateChange(current, withNewTokenVersion({ ...current, disabled: true }));
  });
  return toAccountView(record);
}

/** Enables a disabled account. Tokens issued before it was disabled stay dead. Idempotent. */
export async function enableAccount(deps: AccountDependencies, actor: AuditActor, clientId: string): Promise<AccountView> {
  const record = await changeAccount(deps, actor, clientId, 'account.enable', (current) => {
    assertDuty(actor, CREDENTIAL_ROLE, 'enabling an account');
    assertNotOwnAccount(actor, current.clientId);
    return current.disabled ? stateChange(current, withNewTokenVersion({ ...current, disabled: false })) : null;
  });
  return toAccountView(record);
}

/**
 * Approves the secret an administrator set: the account may get tokens. Only
 * the other managing role approves (a secret set by the system administrator
 * is approved by the security administrator and the reverse), never the
 * account itself; ERR_ACCOUNT_NOT_PENDING when nothing waits.
 */
export async function approveAccount(deps: AccountDependencies, actor: AuditActor, clientId: string): Promise<AccountView> {
  const record = await changeAccount(deps, actor, clientId, 'account.approve', (current) => {
    assertNotOwnAccount(actor, current.clientId);
    if (current.pending !== true) {
      throw new AdministrationError('ERR_ACCOUNT_NOT_PENDING', `account ${clientId} has no secret waiting for approval`, { clientId });
    }
    assertDuty(actor, approverRoleOf(current.secretSetBy?.role ?? ''), `approving a secret set by ${current.secretSetBy?.role ?? 'an unknown role'}`);
    return stateChange(current, { ...current, pending: false });
  });
  return toAccountView(record);
}

/**
 * Replaces an account's secret (a credential reset: the security
 * administrator's); tokens and staff sessions issued before stop working, and
 * a person enrols their authenticator app again. The new secret is
 * returned once; set by an administrator, it waits for approval.
 */
export async function rotateSecret(deps: AccountDependencies, actor: AuditActor, clientId: string): Promise<AccountWithSecret> {
  assertDuty(actor, CREDENTIAL_ROLE, 'resetting a secret');
  assertNotOwnAccount(actor, clientId);
  if (!isValidClientId(clientId) || !(await deps.store.accounts.get(clientId))) throw notFound(clientId);
  const clientSecret = generateClientSecret();
  const secretHash = await hashSecret(clientSecret);
  const record = await changeAccount(deps, actor, clientId, 'account.rotate-secret', (current) => {
    // A person whose password is reset enrols an authenticator app again: whoever lost the one may have lost the other.
    const { totp: _enrolment, ...withoutTotp } = current;
    const next = withNewTokenVersion({ ...withoutTotp, secretHash, ...secretSetting(actor) });
    return { next, details: { before: accountState(current), after: { ...accountState(next), secretSetBy: next.secretSetBy } } };
  });
  return { account: toAccountView(record), clientSecret };
}

export async function getAccount(deps: Pick<AccountDependencies, 'store'>, clientId: string): Promise<AccountView> {
  const record = isValidClientId(clientId) ? await deps.store.accounts.get(clientId) : null;
  if (!record) throw notFound(clientId);
  return toAccountView(record);
}

/** Every account, ordered by client id, without secrets. */
export async function listAccounts(deps: Pick<AccountDependencies, 'store'>): Promise<readonly AccountView[]> {
  return (await deps.store.accounts.list()).map(toAccountView);
}
