import { auditActor, type AuditActor } from '../audit/index.js';
import type { RequestOrigin } from '../auth/index.js';
import { maskHolderNumber, type HolderNumber } from '../identity/index.js';

/** A citizen or company signed in to the vault as the holder of their licenses (a person acting for a company signs in with its code). */
export interface HolderPrincipal {
  readonly holder: HolderNumber;
  /** The name the identity platform gave, when it gave one. */
  readonly name: string | null;
  /** Names the session in logs and audit entries; not the session's secret. */
  readonly sessionId: string;
  /** Where the request came from, for audit entries; absent outside HTTP. */
  readonly origin?: RequestOrigin;
}

/** The role audit entries give a holder acting on their own licenses. */
export const HOLDER_ROLE = 'holder';

/** How audit entries name a holder: by the masked number, never the number itself. */
export function holderActor(principal: HolderPrincipal): AuditActor {
  return auditActor(`${HOLDER_ROLE}:${maskHolderNumber(principal.holder)}`, HOLDER_ROLE, principal.origin);
}
