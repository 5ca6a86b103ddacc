import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { SecurityEventRecorder } from '../modules/audit/index.js';
import type { Authenticator, FailedAttemptLimiter } from '../modules/auth/index.js';
import type { HolderSessions, HolderSignIn } from '../modules/holders/index.js';
import type { HolderShares } from '../modules/shares/index.js';
import type { StaffSignIn } from '../modules/staff/index.js';
import type { TemplateCatalog } from '../modules/templates/index.js';
import type { LicenseVerification, TrustList } from '../modules/verification/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { apiAuthentication } from './middleware/authenticate.js';
import { holderSessionGate } from './middleware/holder-session.js';
import { securityEventLog } from './middleware/security-events.js';
import { staffSessionGate } from './middleware/staff-session.js';
import { MY_LICENSES_LINK, type HolderPageBackends } from './pages/holder/index.js';
import { adminRoutes, type AdminRouteDependencies } from './routes/admin.js';
import { auditRoutes, type AuditRouteDependencies } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { redemptionRoutes, type RedemptionRouteDependencies } from './routes/authorization-redemption.js';
import { holderAuthorizationRoutes, type HolderAuthorizationRouteDependencies } from './routes/me-authorizations.js';
import { CONSOLE_LINK, consoleRoutes, type ConsoleBundle } from './routes/console.js';
import { docsRoutes } from './routes/docs.js';
import { frontPageRoutes } from './routes/front-page.js';
import { holderRoutes } from './routes/holder.js';
import { holderPageRoutes } from './routes/holder-pages.js';
import { holderSignInRoutes } from './routes/holder-sign-in.js';
import { shareRoutes } from './routes/shares.js';
import { staffRoutes } from './routes/staff.js';
import { catalogueRoutes, licenseRoutes, type LicenseRouteDependencies } from './routes/licenses.js';
import { myLicenseRoutes, type MyLicenseRouteDependencies } from './routes/my-licenses.js';
import { trustRoutes } from './routes/trust.js';
import { verificationRoutes, type VerificationLimits } from './routes/verification.js';

export interface VaultRouterDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  /** The built staff console (dist/console), served at /console. */
  readonly consoleBundle: ConsoleBundle;
  /** Where swagger-ui-dist's files are. */
  readonly swaggerUiDir: string;
  readonly trust: TrustList;
  readonly templates: TemplateCatalog;
  readonly verification: LicenseVerification;
  /** What anonymous verification one client IP may ask. */
  readonly verificationLimits: VerificationLimits;
  readonly authenticator: Pick<Authenticator, 'authenticate' | 'issueToken'>;
  /** Failed token requests per client id and address. */
  readonly failedAttempts?: FailedAttemptLimiter | undefined;
  /** Failed token requests per address, whatever client ids it tries. */
  readonly failedAttemptsPerAddress?: FailedAttemptLimiter | undefined;
  /** Token requests per client address per minute, counted before any secret is checked. */
  readonly tokenRequestsPerMinute: number;
  /** Writes security events (refusals, lockouts, sign-ins, auditors' reads) to the audit log. */
  readonly securityEvents: Pick<SecurityEventRecorder, 'record' | 'write'>;
  /** Staff sign in to the console (the `vault_staff` cookie, `__Host-vault_staff` over https). */
  readonly staffSignIn: StaffSignIn;
  /** The otpauth URI of a TOTP enrolment as an SVG QR code. */
  readonly qrSvg: (text: string) => string;
  /** Signed-in holders' sessions (the `vault_holder` cookie). */
  readonly holderSessions: HolderSessions;
  /** What the holder pages at /me show, from the use cases the vault runs; a part left out says it is not open. */
  readonly holderPages?: HolderPageBackends;
  /** Holders sign in over OpenID Connect (GET /me/sign-in, GET /me/callback, POST /me/sign-out). */
  readonly holderSignIn: HolderSignIn;
  /** The development identity provider and where to mount it, when it runs (VAULT_DEMO_SETUP=auto and no platform configured). */
  readonly devIdentityProvider?: { readonly path: string; readonly handle: (req: IncomingMessage, res: ServerResponse) => void } | null;
  /** Holders' share links; their pages are limited per client IP as verifications are. */
  readonly shares: HolderShares;
  readonly admin: AdminRouteDependencies;
  readonly licenses: LicenseRouteDependencies;
  readonly audit: AuditRouteDependencies;
  /** 我的证照 and 用证记录. */
  readonly myLicenses: Omit<MyLicenseRouteDependencies, 'publicUrl'>;
  /** Clerks redeeming holders' 用证码. */
  readonly redemption: RedemptionRouteDependencies;
  /** Holders authorizing offices (授权用证). */
  readonly holderAuthorizations: HolderAuthorizationRouteDependencies;
}

/**
 * The vault's routers in mounting order: the public ones, the authentication
 * gate for everything else under /api/v1, then the protected ones. main.ts
 * mounts exactly these; the OpenAPI test walks them.
 */
export function vaultRouters(deps: VaultRouterDependencies): Router[] {
  return [
    securityEventLog({ recorder: deps.securityEvents, logger: deps.logger }),
    holderSessionGate({ sessions: deps.holderSessions }),
    staffSessionGate({ signIn: deps.staffSignIn, publicUrl: deps.publicUrl }),
    // A development stand-in with its own protocol endpoints and pages, not part of the vault's API (and so not in its document).
    ...(deps.devIdentityProvider ? [Router().use(deps.devIdentityProvider.path, (req, res) => deps.devIdentityProvider?.handle(req, res))] : []),
    frontPageRoutes({ consoles: [MY_LICENSES_LINK, CONSOLE_LINK] }),
    consoleRoutes(deps.consoleBundle),
    holderSignInRoutes({ signIn: deps.holderSignIn, publicUrl: deps.publicUrl, logger: deps.logger }),
    trustRoutes(deps.trust),
    catalogueRoutes(deps.templates),
    verificationRoutes(deps.verification, { ...deps.verificationLimits, clock: deps.clock, logger: deps.logger }),
    docsRoutes({ publicUrl: deps.publicUrl, swaggerUiDir: deps.swaggerUiDir }),
    authRoutes({
      authenticator: deps.authenticator,
      logger: deps.logger,
      limiter: deps.failedAttempts,
      addressLimiter: deps.failedAttemptsPerAddress,
      perAddress: { perMinute: deps.tokenRequestsPerMinute, clock: deps.clock },
    }),
    staffRoutes({ signIn: deps.staffSignIn, publicUrl: deps.publicUrl, qrSvg: deps.qrSvg, clock: deps.clock }),
    // Holders' routes (/api/v1/me…) need their session cookie, never a bearer token.
    holderRoutes({ publicUrl: deps.publicUrl }),
    holderPageRoutes({ publicUrl: deps.publicUrl, backends: deps.holderPages ?? {}, clock: deps.clock, createsPerMinute: deps.holderAuthorizations.createsPerMinute }),
    myLicenseRoutes({ ...deps.myLicenses, publicUrl: deps.publicUrl }),
    shareRoutes({ shares: deps.shares, publicUrl: deps.publicUrl, clock: deps.clock, opensPerMinute: deps.verificationLimits.perMinute }),
    holderAuthorizationRoutes(deps.holderAuthorizations),
    // Everything under /api/v1 mounted after this needs a bearer token, or a staff session cookie the gate above resolved.
    apiAuthentication({ authenticator: deps.authenticator }),
    adminRoutes(deps.admin),
    licenseRoutes(deps.licenses),
    auditRoutes(deps.audit),
    redemptionRoutes(deps.redemption),
  ];
}
