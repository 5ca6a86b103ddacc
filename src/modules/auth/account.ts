export const ROLES = ['issuer', 'clerk', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A service or staff account. The secret is kept only as an scrypt hash. */
export interface AccountRecord {
  readonly clientId: string;
  readonly role: Role;
  /** Credit code of the department an `issuer` acts for; null for other roles. */
  readonly department: string | null;
  readonly displayName: string;
  /** Encoded scrypt hash (parameters, salt and key). */
  readonly secretHash: string;
  readonly disabled: boolean;
  /**
   * Counts secret rotations (absent = 1). Access tokens carry it, so rotating
   * the secret cuts off the tokens issued with the old one.
   */
  readonly secretVersion?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
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
