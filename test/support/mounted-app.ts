import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Express } from 'express';
import { ecdsaCheckpointSigner } from '../../src/adapters/pki/checkpoint-signer.js';
import { StrictPdfSignatureVerifier } from '../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../src/adapters/pki/x509/index.js';
import { JwtTokenService } from '../../src/adapters/tokens/jwt-tokens.js';
import { generateTokenSigningKey } from '../../src/adapters/tokens/signing-key.js';
import { PdfiumFaceRenderer } from '../../src/adapters/pdfium/pdfium-face-renderer.js';
import { holderUsage, licenseFaceImages } from '../../src/composition/holder-usage.js';
import { createApp } from '../../src/http/app.js';
import { vaultRouters } from '../../src/http/routers.js';
import { loadConsoleBundle, type ConsoleBundle } from '../../src/http/routes/console.js';
import { SecurityEventRecorder } from '../../src/modules/audit/index.js';
import { createAuthenticator, FailedAttemptLimiter } from '../../src/modules/auth/index.js';
import { holderPageBackends } from '../../src/composition/holder-pages.js';
import type { LicenseFaceRenderer } from '../../src/modules/usage/index.js';
import { holderShares } from '../../src/composition/shares.js';
import type { ShareCopyMaker } from '../../src/modules/shares/index.js';
import { LicensePreview } from '../../src/modules/licenses/index.js';
import { LicenseVerification, type VerificationTally } from '../../src/modules/verification/index.js';
import type { ConfiguredHolderSignIn } from '../../src/composition/holder-sign-in.js';
import { HolderSignIn, SignInSeal } from '../../src/modules/holders/index.js';
import { authorizationServices } from '../../src/composition/authorizations.js';
import { qrcodeEncoder } from '../../src/adapters/qr/qrcode-encoder.js';
import { staffSignInWith, totpQrSvg, type StaffSignInParts } from '../../src/composition/staff-sign-in.js';
import type { StaffSignInSettings } from '../../src/config/index.js';
import { ROLES } from '../../src/modules/auth/index.js';
import type { Logger } from '../../src/shared/logger.js';
import { holderSessionsOf } from './holder-session.js';
import { licenseRouteDependencies, PUBLIC_URL, type VaultHarness } from './vault-harness.js';

/** Limits high enough that no test of the routes meets one by accident. */
const UNLIMITED = { verifications: 1000, fieldChecks: 1000, uploadsInFlight: 10, tokenRequests: 1000, lookups: 1000 };

/** VAULT_STAFF_* at their defaults. */
const DEFAULT_STAFF: StaffSignInSettings = { totpRoles: ROLES, lockoutFailures: 5, lockoutMinutes: 15, idleMinutes: 15, sessionHours: 8 };

/** The app with every router main.ts mounts, over a harness vault, its limits lifted. */
/** One PDFium instance for every app a test file mounts (its WebAssembly is loaded on first use). */
const sharedFaceRenderer = new PdfiumFaceRenderer();

export function mountedApp(
  vault: VaultHarness,
  options: {
    readonly logger: Logger;
    readonly jsonLimitBytes: number;
    /** Counts anonymous verifications when given. */
    readonly verificationTally?: VerificationTally;
    readonly securityEvents?: SecurityEventRecorder;
    readonly faceRenderer?: LicenseFaceRenderer;
    /** The built console to serve at /console; dist/console by default (a notice page when it is not built). */
    readonly consoleBundle?: ConsoleBundle;
    /** The vault's address, when the test serves it at a real one (the OpenID flow needs its issuer reachable); else PUBLIC_URL. */
    readonly publicUrl?: string;
    /** Holders' sign-in as composition/holder-sign-in.ts configures it; by default none is configured (ERR_HOLDER_SIGN_IN_UNAVAILABLE). */
    readonly holderSignIn?: ConfiguredHolderSignIn;
    /** QR links and share links per client IP per minute; unlimited by default. */
    readonly verificationsPerMinute?: number;
    /** The annotated copies share links offer; none by default. */
    readonly shareCopies?: ShareCopyMaker;
    /** Staff sign-in settings; the defaults (every role needs a one-time password, 5 failures in 15 minutes, 15 minutes idle, 8 hours). */
    readonly staff?: Partial<StaffSignInSettings>;
    /** The key that seals TOTP secrets: give the same one to two apps over one store (two nodes); a fresh one by default. */
    readonly staffKey?: Uint8Array;
    /** Receives the staff sign-in the app was built with (its sessions and lockout), for tests that sweep them. */
    readonly onStaffSignIn?: (parts: StaffSignInParts) => void;
  },
): Express {
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  const holderSessions = holderSessionsOf(vault);
  const holderSignIn = options.holderSignIn ?? {
    signIn: new HolderSignIn({
      provider: null,
      seal: new SignInSeal(randomBytes(32), vault.clock),
      claimNames: { citizen: 'id_card_number', organization: 'credit_code', name: 'name' },
      sessions: holderSessions,
      fingerprinter: vault.fingerprinter,
      clock: vault.clock,
    }),
    devIdentityProvider: null,
  };
  const key = generateTokenSigningKey();
  const authenticator = createAuthenticator({ accounts: vault.store.accounts, tokens: new JwtTokenService({ key, issuer: PUBLIC_URL, ttlSeconds: 900, clock: vault.clock }) });
  const root = { der: vault.pki.root.certificateDer, pem: vault.pki.rootPem, summary: summarizeCertificate(vault.pki.root.certificateDer) };
  const verifier = new StrictPdfSignatureVerifier({ trustedRoots: () => [root], clock: vault.clock });
  const verification = new LicenseVerification(vault.store, verifier, vault.templates, vault.clock, options.verificationTally);
  const securityEvents = options.securityEvents ?? new SecurityEventRecorder({ audit: vault.store.audit, clock: vault.clock });
  const shares = holderShares({ store: vault.store, clock: vault.clock, fingerprinter: vault.fingerprinter, verification, securityEvents, copies: options.shareCopies });
  const isKnownLicenseType = (typeCode: string) => vault.templates.latest().some((t) => t.catalogue.typeCode === typeCode);
  const authorizations = authorizationServices({
    store: vault.store,
    clock: vault.clock,
    fingerprinter: vault.fingerprinter,
    securityEvents,
    isKnownLicenseType,
    lookupPolicy: 'number',
  });
  const staff = staffSignInWith({ lookupPolicy: 'number', staff: { ...DEFAULT_STAFF, ...options.staff } }, options.staffKey ?? randomBytes(32), {
    store: vault.store,
    clock: vault.clock,
    securityEvents,
  });
  options.onStaffSignIn?.(staff);
  const faces = licenseFaceImages(options.faceRenderer ?? sharedFaceRenderer);
  const myLicenses = holderUsage({ ...vault, securityEvents, faces });
  return createApp({
    logger: options.logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: options.jsonLimitBytes,
    health: { pingStore: () => vault.store.ping(), storeKind: vault.store.kind },
    routers: vaultRouters({
      clock: vault.clock,
      logger: options.logger,
      publicUrl,
      consoleBundle: options.consoleBundle ?? loadConsoleBundle(join(__dirname, '../../dist/console')),
      swaggerUiDir: dirname(require.resolve('swagger-ui-dist/package.json')),
      trust: { roots: () => [root] },
      templates: vault.templates,
      verification,
      verificationLimits: {
        perMinute: options.verificationsPerMinute ?? UNLIMITED.verifications,
        fieldChecksPerMinute: UNLIMITED.fieldChecks,
        fieldChecksPerDay: UNLIMITED.fieldChecks,
        uploadsInFlight: UNLIMITED.uploadsInFlight,
      },
      authenticator,
      failedAttempts: new FailedAttemptLimiter(vault.clock),
      tokenRequestsPerMinute: UNLIMITED.tokenRequests,
      securityEvents,
      holderSessions,
      staffSignIn: staff.signIn,
      qrSvg: totpQrSvg,
      holderSignIn: holderSignIn.signIn,
      devIdentityProvider: holderSignIn.devIdentityProvider,
      shares,
      holderPages: holderPageBackends({
        publicUrl,
        templates: vault.templates,
        qr: qrcodeEncoder,
        shares,
        authorizations: { holders: authorizations.holders, departments: vault.store.departments },
        ...myLicenses,
      }),
      admin: { store: vault.store, clock: vault.clock },
      licenses: {
        ...licenseRouteDependencies(vault, { lookupsPerMinute: UNLIMITED.lookups, faces }),
        preview: new LicensePreview({ ...vault.issuanceDeps, departments: vault.store.departments, faces: options.faceRenderer ?? sharedFaceRenderer }),
      },
      audit: { audit: vault.store.audit, signer: ecdsaCheckpointSigner(key), clock: vault.clock },
      myLicenses,
      redemption: { redemption: authorizations.redemption, templates: vault.templates, clock: vault.clock, publicUrl, lookupsPerMinute: UNLIMITED.lookups },
      holderAuthorizations: {
        authorizations: authorizations.holders,
        departments: vault.store.departments,
        qr: qrcodeEncoder,
        clock: vault.clock,
        publicUrl,
        createsPerMinute: UNLIMITED.lookups,
      },
    }),
  });
}
