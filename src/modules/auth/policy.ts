import { auditActor, type AuditActor } from '../audit/index.js';
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

/** The audit actor for a principal, with the request's address and id when it has them. */
export function actorOf(principal: Principal): AuditActor {
  return auditActor(principal.clientId, principal.role, principal.origin);
}

/** The actor of changes the vault makes by itself (first-start set-up). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ id: 'system', role: 'system' });
