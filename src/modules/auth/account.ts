/** Operational roles: they work on licenses and administer nothing. */
export const OPERATIONAL_ROLES = ['issuer', 'clerk'] as const;
/**
 * The three administrators of MLPS level 3 (三权分立): the system administrator
 * (departments, accounts of operational roles, configuration), the security
 * administrator (roles, credentials and their resets, locks) and the audit
 * administrator (reads the audit log, manages nothing).
 */
export const ADMINISTRATOR_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const;
export const ROLES = [...OPERATIONAL_ROLES, ...ADMINISTRATOR_ROLES] as const;
export type Role = (typeof ROLES)[number];
export type OperationalRole = (typeof OPERATIONAL_ROLES)[number];
export type AdministratorRole = (typeof ADMINISTRATOR_ROLES)[number];

/** Who set an account's current secret: an account (client id and role) or the host (`system`, through the CLI or the first-start set-up). */
export interface SecretSetter {
  readonly clientId: string;
  readonly role: string;
}

/** `service`: a program, which gets bearer tokens; `person`: a member of staff, who signs in to the console (user name = client id). */
export const ACCOUNT_KINDS = ['service', 'person'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** A person's authenticator app (RFC 6238): its shared secret, sealed at rest, and the last time step a code was accepted for. */
export interface TotpEnrolmentRecord {
  /** The base32 secret sealed with AES-256-GCM under the staff key (bound to the account's client id). */
  readonly sealedSecret: string;
  readonly enrolledAt: string;
  /** The RFC 6238 time step of the last accepted code: a code of this step or an earlier one is never accepted again. */
  readonly lastStep: number;
}

/** A service or staff account. The secret is kept only as an scrypt hash. */
export interface AccountRecord {
  readonly clientId: string;
  readonly role: Role;
  /** Credit code of the department an `issuer` acts for or a `clerk` serves at (optional for clerks); null for other roles. */
  readonly department: string | null;
  readonly displayName: string;
  /** Encoded scrypt hash (parameters, salt and key). */
  readonly secretHash: string;
  readonly disabled: boolean;
  /**
   * True while the secret an administrator just set (at creation or reset)
   * waits for an administrator of another administrator role to approve it:
   * until then the account gets no token. Absent (records older than the
   * separation of duties) = false.
   */
  readonly pending?: boolean;
  /** Who set the current secret; absent on records older than the separation of duties. */
  readonly secretSetBy?: SecretSetter;
  /**
   * Counts the changes that cut off the account's tokens: secret resets,
   * disabling and enabling, role and department changes. Access tokens carry
   * it. Absent on older records, which counted secret rotations only, as
   * `secretVersion`: {@link tokenVersionOf} starts from that.
   */
  readonly tokenVersion?: number;
  /** The token version of records written before `tokenVersion` (secret rotations only; absent = 1). Read, never written. */
  readonly secretVersion?: number;
  /** Absent = `service` (every account older than staff sign-in). */
  readonly kind?: AccountKind;
  /** A person's enrolled authenticator app; absent until they enrol one (and again after a secret reset). */
  readonly totp?: TotpEnrolmentRecord;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function kindOf(account: Pick<AccountRecord, 'kind'>): AccountKind {
  return account.kind ?? 'service';
}

/** The version access tokens of this account must carry. */
export function tokenVersionOf(account: Pick<AccountRecord, 'tokenVersion' | 'secretVersion'>): number {
  return account.tokenVersion ?? account.secretVersion ?? 1;
}

export interface AccountRepository {
  /** Throws ERR_STORE_DUPLICATE if the client id exists. */
  insert(account: AccountRecord): Promise<void>;
  /** Replaces the stored record; throws ERR_STORE_NOT_FOUND when absent. */
  update(account: AccountRecord): Promise<void>;
  get(clientId: string): Promise<AccountRecord | null>;
  /** Ordered by client id. */
  list(): Promise<readonly AccountRecord[]>;
}
