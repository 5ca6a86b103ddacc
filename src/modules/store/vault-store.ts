import type { AuditLog } from '../audit/index.js';
import type { AccountRepository } from '../auth/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import type { IdempotencyRepository, LicenseFileRepository, LicenseRepository } from '../licenses/index.js';

/** Every repository of the vault, as one store exposes them. */
export interface Repositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly departments: DepartmentRepository;
  readonly accounts: AccountRepository;
  readonly idempotency: IdempotencyRepository;
  readonly audit: AuditLog;
}

/**
 * The vault's persistence port. Used directly, each call is its own atomic
 * write. Inside `transaction`, the repositories handed to `work` see and make
 * changes that commit together when `work` resolves and vanish when it throws.
 * `work` may run more than once (a store may retry transient conflicts), so it
 * must not have effects outside the repositories it is given.
 */
export interface VaultStore extends Repositories {
  /** `sqlite` or `mongo`: for logs and readiness, never for branching in use cases. */
  readonly kind: string;
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the store answers a trivial query; rejects with ERR_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** The database engine's own structural check: what it found wrong, nothing when sound. */
  checkIntegrity(): Promise<readonly string[]>;
  /** Finishes pending writes and releases the store. */
  close(): Promise<void>;
}
