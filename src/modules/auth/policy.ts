import type { AuditActor } from '../audit/index.js';
import { PermissionError } from '../../shared/errors.js';
import type { Role } from './account.js';
import type { Principal } from './principal.js';

/** Whether the principal has one of `roles`. */
export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.includes(principal.role);
}

/** Throws ERR_FORBIDDEN unless the principal has one of `roles`. */
export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!hasRole(principal, roles)) {
    throw new PermissionError('ERR_FORBIDDEN', `this needs the role ${roles.join(' or ')}`, { requiredRoles: [...roles] });
  }
}

/** The audit actor for a principal. */
export function actorOf(principal: Principal): AuditActor {
  return { id: principal.clientId, role: principal.role };
}

/** The actor of changes the vault makes by itself (first-start set-up). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ id: 'system', role: 'system' });
