import { userInfo } from 'node:os';
import type { AuditActor } from '../modules/audit/index.js';
import { HOST_ROLE } from '../modules/auth/index.js';

/** Who ran a command on the host, for the audit log: `cli:{user}`, role `system`. */
export function cliActor(): AuditActor {
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep `unknown`.
  }
  return { id: `cli:${user}`, role: HOST_ROLE };
}
