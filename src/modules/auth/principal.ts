import type { Role } from './account.js';

/** Who is calling, as established from a verified access token and a live account. */
export interface Principal {
  readonly clientId: string;
  readonly role: Role;
  /** Credit code of the department an issuer acts for, or a clerk serves at (null: a clerk of no department); null for other roles. */
  readonly department: string | null;
  /** Where the request came from, for audit entries; absent outside HTTP. */
  readonly origin?: RequestOrigin;
}

/** A request's client address and id, as the HTTP edge saw them. */
export interface RequestOrigin {
  readonly address: string;
  readonly requestId: string;
}

/** The caller of anonymous endpoints, for audit entries. */
export const ANONYMOUS = Object.freeze({ id: 'anonymous', role: 'anonymous' });
