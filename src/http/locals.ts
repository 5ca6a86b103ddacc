import type { Principal } from '../modules/auth/index.js';
import type { HolderPrincipal } from '../modules/holders/index.js';
import type { StaffSessionView } from '../modules/staff/index.js';
import type { RecordSecurityEvent } from './middleware/security-events.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express's own extension point for res.locals
  namespace Express {
    interface Locals {
      /** Set by the request-id middleware on every request. */
      requestId: string;
      /** Set by the authenticate middleware on routes that require a token, or by the staff session gate from a console session. */
      principal?: Principal;
      /** Set by the staff session gate when the principal signed in through the console (a staff session cookie). */
      staffSession?: StaffSessionView;
      /** Set by the holder session gate when the request carries a live holder session cookie. */
      holder?: HolderPrincipal;
      /** Set by the app: the largest JSON body an authenticated route reads (VAULT_JSON_LIMIT_BYTES). */
      jsonLimitBytes?: number;
      /** Set by the security event log: writes a security event of this request to the audit log. */
      securityEvents?: RecordSecurityEvent;
    }
  }
}

export {};
