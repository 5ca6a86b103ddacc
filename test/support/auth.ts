import { join } from 'node:path';
import type { Express, Router } from 'express';
import request from 'supertest';
import { generateTokenSigningKey, type TokenSigningKey } from '../../src/adapters/tokens/signing-key.js';
import { JwtTokenService } from '../../src/adapters/tokens/jwt-tokens.js';
import { loadTemplateDirectory } from '../../src/adapters/templates/template-directory.js';
import { createApp } from '../../src/http/app.js';
import { apiAuthentication } from '../../src/http/middleware/authenticate.js';
import { securityEventLog } from '../../src/http/middleware/security-events.js';
import { SecurityEventRecorder } from '../../src/modules/audit/index.js';
import { adminRoutes } from '../../src/http/routes/admin.js';
import { authRoutes } from '../../src/http/routes/auth.js';
import { createAccount, createAuthenticator, type Authenticator, type FailedAttemptLimiter, type Role } from '../../src/modules/auth/index.js';
import { createDepartment, DEMO_DEPARTMENT, type NewDepartment } from '../../src/modules/departments/index.js';
import type { VaultStore } from '../../src/composition/vault-store.js';
import type { SealImageSource } from '../../src/modules/templates/index.js';
import { systemClock, type Clock } from '../../src/shared/clock.js';
import type { Logger } from '../../src/shared/logger.js';
import { capturedLogger } from './log-capture.js';

export const TEST_ISSUER = 'http://vault.test';
export const TEST_ACTOR = Object.freeze({ id: 'test-setup', role: 'system' });
const TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

/** Token service, authenticator and the auth routers of a test app, with an in-memory P-256 key. */
export interface AuthKit {
  readonly key: TokenSigningKey;
  readonly tokens: JwtTokenService;
  readonly authenticator: Authenticator;
  /** Writes this app's security events to the store's audit log. */
  readonly securityEvents: SecurityEventRecorder;
  /**
   * In mounting order: the security event log, the token endpoint (public), the authentication gate
   * for `/api/v1`, then the admin routes. Put public routers before these and
   * protected ones after.
   */
  readonly routers: readonly Router[];
}

export interface AuthKitOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly ttlSeconds?: number;
  readonly key?: TokenSigningKey;
  readonly limiter?: FailedAttemptLimiter;
  /** The token endpoint's failure brake per address alone. */
  readonly addressLimiter?: FailedAttemptLimiter;
  /** The token endpoint's budget of requests per address per minute. */
  readonly tokenRequestsPerMinute?: number;
  /** Where the admin routes look for a department's seal image; without it any well-formed path is accepted. */
  readonly sealImages?: SealImageSource;
}

export function authKit(store: VaultStore, options: AuthKitOptions = {}): AuthKit {
  const clock = options.clock ?? systemClock;
  const key = options.key ?? generateTokenSigningKey();
  const tokens = new JwtTokenService({ key, issuer: TEST_ISSUER, ttlSeconds: options.ttlSeconds ?? 900, clock });
  const authenticator = createAuthenticator({ accounts: store.accounts, tokens });
  const logger = options.logger ?? capturedLogger().logger;
  const securityEvents = new SecurityEventRecorder({ audit: store.audit, clock });
  return {
    key,
    tokens,
    authenticator,
    securityEvents,
    routers: [
      securityEventLog({ recorder: securityEvents, logger }),
      authRoutes({
        authenticator,
        logger,
        limiter: options.limiter,
        addressLimiter: options.addressLimiter,
        perAddress: options.tokenRequestsPerMinute === undefined ? undefined : { perMinute: options.tokenRequestsPerMinute, clock },
      }),
      apiAuthentication({ authenticator }),
      adminRoutes({ store, clock, sealImages: options.sealImages }),
    ],
  };
}

/** A whole app with the auth routers, then `routers` behind the authentication gate. */
export function authTestApp(
  store: VaultStore,
  options: AuthKitOptions & { readonly routers?: readonly Router[] } = {},
): { app: Express; kit: AuthKit; log: ReturnType<typeof capturedLogger> } {
  const log = capturedLogger();
  const kit = authKit(store, { logger: log.logger, ...options });
  const app = createApp({
    logger: options.logger ?? log.logger,
    lifecycle: { shuttingDown: false },
    jsonLimitBytes: 1024 * 1024,
    health: { pingStore: () => store.ping(), storeKind: store.kind },
    routers: [...kit.routers, ...(options.routers ?? [])],
  });
  return { app, kit, log };
}

let templateTypeCodes: Promise<string[]> | undefined;

/** The type codes of the shipped templates (latest versions). */
export function allLicenseTypeCodes(): Promise<string[]> {
  templateTypeCodes ??= loadTemplateDirectory(TEMPLATES_DIR, systemClock).then((catalog) => catalog.latest().map((template) => template.catalogue.typeCode));
  return templateTypeCodes;
}

/** Makes sure the department exists; the demo department, allowed every shipped template, by default. */
export async function ensureDepartment(store: VaultStore, department?: string | NewDepartment): Promise<string> {
  const seed: NewDepartment =
    typeof department === 'object'
      ? department
      : {
          creditCode: department ?? DEMO_DEPARTMENT.creditCode,
          name: department === undefined || department === DEMO_DEPARTMENT.creditCode ? DEMO_DEPARTMENT.name : `测试发证机关 ${department}`,
          divisionCode: department === undefined ? DEMO_DEPARTMENT.divisionCode : department.slice(2, 8),
          licenseTypes: await allLicenseTypeCodes(),
          signingKey: department ?? DEMO_DEPARTMENT.creditCode,
        };
  const existing = await store.departments.get(seed.creditCode.toUpperCase());
  if (existing) return existing.creditCode;
  return (await createDepartment({ store, clock: systemClock }, TEST_ACTOR, seed)).creditCode;
}

let counter = 0;

/**
 * Creates an account of `role` through the use cases and returns an access
 * token for it from `POST /api/v1/auth/token` on `app` (which must mount the
 * auth routers, see {@link authKit}). An issuer (and a clerk given one) belongs to `department` — a
 * credit code or a full department, created if missing — or to the demo
 * department, allowed every shipped template.
 */
export async function tokenFor(app: Express, store: VaultStore, role: Role, department?: string | NewDepartment): Promise<string> {
  const departmentCode = role === 'issuer' || (role === 'clerk' && department !== undefined) ? await ensureDepartment(store, department) : null;
  counter += 1;
  const { account, clientSecret } = await createAccount({ store, clock: systemClock }, TEST_ACTOR, {
    clientId: `test-${role}-${process.pid}-${counter}`,
    role,
    department: departmentCode,
  });
  const res = await request(app).post('/api/v1/auth/token').send({ clientId: account.clientId, clientSecret });
  if (res.status !== 200) throw new Error(`tokenFor(${role}): token endpoint answered ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { accessToken: string }).accessToken;
}

/** `Authorization` header value for a token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
