import type { AuditLog } from '../modules/audit/index.js';
import type { AccountRepository } from '../modules/auth/index.js';
import type { AuthorizationRepository } from '../modules/authorizations/index.js';
import type { CopyRepository } from '../modules/copies/index.js';
import type { DepartmentRepository } from '../modules/departments/index.js';
import type { HolderSessionRepository } from '../modules/holders/index.js';
import type { IdempotencyRepository, LicenseFileRepository, LicenseRepository } from '../modules/licenses/index.js';
import type { VerificationCountRepository } from '../modules/verification/index.js';
import type { ShareRepository } from '../modules/shares/index.js';
import type { SignInFailureRepository, StaffSessionRepository } from '../modules/staff/index.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';

/**
 * Every repository of the vault, under the names each use case's port gives
 * them: a store is every use case's store at once.
 */
export interface Repositories {
  readonly licenses: LicenseRepository;
  readonly licenseFiles: LicenseFileRepository;
  readonly departments: DepartmentRepository;
  readonly accounts: AccountRepository;
  readonly idempotency: IdempotencyRepository;
  readonly audit: AuditLog;
  readonly verificationCounts: VerificationCountRepository;
  readonly holderSessions: HolderSessionRepository;
  readonly staffSessions: StaffSessionRepository;
  readonly staffSignInFailures: SignInFailureRepository;
  readonly shares: ShareRepository;
  readonly authorizations: AuthorizationRepository;
  readonly copies: CopyRepository;
}

/** The vault's persistence, as the SQLite and MongoDB adapters implement it; transactions keep the contract of {@link UnitOfWork}. */
export interface VaultStore extends Repositories, UnitOfWork<Repositories> {
  /** `sqlite` or `mongo`: for logs and readiness, never for branching in use cases. */
  readonly kind: string;
  /** Resolves when the store answers a trivial query; rejects with ERR_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** The database engine's own structural check: what it found wrong, nothing when sound. */
  checkIntegrity(): Promise<readonly string[]>;
  /** Finishes pending writes and releases the store. */
  close(): Promise<void>;
}
