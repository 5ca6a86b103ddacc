import type { AuditActor } from '../audit/index.js';
import { PermissionError } from '../../shared/errors.js';
import { OPERATIONAL_ROLES, type AccountRecord, type Role } from './account.js';

/**
 * Separation of duties (三权分立, GB/T 22239 level 3): who may do what to
 * which account. Whoever learns a secret never activates it: an account whose
 * secret an administrator set (at creation or reset) stays pending until an
 * administrator of the other managing role approves it.
 *
 * The host (actor role `system`: the `license-vault admin` command and the
 * first-start set-up) is the bootstrap and break-glass path: it may do
 * everything, and the accounts it creates or resets are active at once.
 */
export const HOST_ROLE = 'system';

/** The two administrator roles that manage accounts; each approves what the other set. */
export type ManagingRole = 'sysadmin' | 'secadmin';

/** Resets credentials, changes roles, disables and enables (locks): the security administrator. */
export const CREDENTIAL_ROLE: ManagingRole = 'secadmin';

export function isHost(actor: AuditActor): boolean {
  return actor.role === HOST_ROLE;
}

export function isOperationalRole(role: Role): boolean {
  return (OPERATIONAL_ROLES as readonly Role[]).includes(role);
}

/**
 * The role that creates accounts of `role` and changes their department and
 * display name: the system administrator for issuers and clerks, the
 * security administrator for the three administrator roles.
 */
export function managerRoleOf(role: Role): ManagingRole {
  return isOperationalRole(role) ? 'sysadmin' : 'secadmin';
}

/** The role that approves a secret set by `setterRole`: the other managing role; null when no account role may (only the host then). */
export function approverRoleOf(setterRole: string): ManagingRole | null {
  if (setterRole === 'sysadmin') return 'secadmin';
  if (setterRole === 'secadmin') return 'sysadmin';
  return null;
}

/** Throws ERR_FORBIDDEN unless the actor is the host or has `role`. */
export function assertDuty(actor: AuditActor, role: ManagingRole | null, what: string): void {
  if (isHost(actor) || (role !== null && actor.role === role)) return;
  throw new PermissionError('ERR_FORBIDDEN', `${what} is for the ${role ?? HOST_ROLE} role`, { requiredRoles: [role ?? HOST_ROLE] });
}

/** Throws ERR_FORBIDDEN_OWN_ACCOUNT when an administrator acts on its own account (approve, reset, lock, role or profile change). */
export function assertNotOwnAccount(actor: AuditActor, clientId: string): void {
  if (!isHost(actor) && actor.id === clientId) {
    throw new PermissionError('ERR_FORBIDDEN_OWN_ACCOUNT', 'no administrator may change, approve, reset or lock its own account', { clientId });
  }
}

/** Whether the account can get tokens: enabled and not waiting for approval. */
export function isUsable(account: Pick<AccountRecord, 'disabled' | 'pending'>): boolean {
  return !account.disabled && account.pending !== true;
}
