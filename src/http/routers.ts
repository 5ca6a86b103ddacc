import type { Router } from 'express';
import type { Authenticator, FailedAttemptLimiter } from '../modules/auth/index.js';
import type { TemplateCatalog } from '../modules/templates/index.js';
import type { LicenseVerification, TrustList } from '../modules/verification/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { apiAuthentication } from './middleware/authenticate.js';
import { adminRoutes, type AdminRouteDependencies } from './routes/admin.js';
import { auditRoutes, type AuditRouteDependencies } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { docsRoutes } from './routes/docs.js';
import { frontPageRoutes } from './routes/front-page.js';
import { catalogueRoutes, licenseRoutes, type LicenseRouteDependencies } from './routes/licenses.js';
import { trustRoutes } from './routes/trust.js';
import { verificationRoutes, type VerificationLimits } from './routes/verification.js';

export interface VaultRouterDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  /** Where swagger-ui-dist's files are. */
  readonly swaggerUiDir: string;
  readonly trust: TrustList;
  readonly templates: TemplateCatalog;
  readonly verification: LicenseVerification;
  /** What anonymous verification one client IP may ask. */
  readonly verificationLimits: VerificationLimits;
  readonly authenticator: Pick<Authenticator, 'authenticate' | 'issueToken'>;
  readonly failedAttempts?: FailedAttemptLimiter | undefined;
  readonly admin: AdminRouteDependencies;
  readonly licenses: LicenseRouteDependencies;
  readonly audit: AuditRouteDependencies;
}

/**
 * The vault's routers in mounting order: the public ones, the authentication
 * gate for everything else under /api/v1, then the protected ones. main.ts
 * mounts exactly these; the OpenAPI test walks them.
 */
export function vaultRouters(deps: VaultRouterDependencies): Router[] {
  return [
    frontPageRoutes(),
    trustRoutes(deps.trust),
    catalogueRoutes(deps.templates),
    verificationRoutes(deps.verification, { ...deps.verificationLimits, clock: deps.clock, logger: deps.logger }),
    docsRoutes({ publicUrl: deps.publicUrl, swaggerUiDir: deps.swaggerUiDir }),
    authRoutes({ authenticator: deps.authenticator, logger: deps.logger, limiter: deps.failedAttempts }),
    // Everything under /api/v1 mounted after this needs a bearer token.
    apiAuthentication({ authenticator: deps.authenticator }),
    adminRoutes(deps.admin),
    licenseRoutes(deps.licenses),
    auditRoutes(deps.audit),
  ];
}
