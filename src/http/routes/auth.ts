import type { Request, Response } from 'express';
import type { Authenticator, FailedAttemptLimiter } from '../../modules/auth/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { AUTH_REALM } from '../middleware/authenticate.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { recordSecurityEvent } from '../middleware/security-events.js';
import type { Shape } from '../schemas/common.js';
import { AccessToken, TokenRequest } from '../schemas/auth.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface AuthRouteDependencies {
  readonly authenticator: Pick<Authenticator, 'issueToken'>;
  readonly logger: Logger;
  /** Brakes repeated failures per client id and address; optional. */
  readonly limiter?: FailedAttemptLimiter | undefined;
  /** Brakes repeated failures per address, whatever client ids it tries; optional. */
  readonly addressLimiter?: FailedAttemptLimiter | undefined;
  /** Token requests per client address per minute, counted before any secret is checked; optional. */
  readonly perAddress?: { readonly perMinute: number; readonly clock: Clock } | undefined;
}

/** Client ids as the audit log and the limiter keep them: an attacker's 10 KiB id is not stored whole. */
const CLIENT_ID_KEPT = 64;

function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '';
}

function attemptKey(req: Request, clientId: string): string {
  return `${clientId.slice(0, 200)}\u0000${addressOf(req)}`;
}

function retryAfter(res: Response, error: unknown): void {
  const retry = isVaultError(error) ? error.details?.retryAfterSeconds : undefined;
  if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
}

/** `POST /api/v1/auth/token` with `{clientId, clientSecret}` → `{accessToken, tokenType: "Bearer", expiresIn}`. */
export const AUTH_ROUTES: readonly RouteDefinition<AuthRouteDependencies>[] = [
  routeOf<AuthRouteDependencies>()({
    method: 'post',
    path: '/api/v1/auth/token',
    tag: 'Authentication',
    summary: 'Exchange client credentials for an access token',
    description:
      'Any account, with its client id and secret. Each client address has a budget of requests per minute, spent before any secret is checked; ' +
      'repeated failures per client id and address, and per address alone, are refused for a while (429 with Retry-After). ' +
      'When too many secrets are being checked at once, 503 with Retry-After.',
    roles: 'anyone',
    request: { body: TokenRequest },
    responses: { 200: { description: 'A bearer token', content: { 'application/json': AccessToken } } },
    before: (deps) =>
      deps.perAddress ? [rateLimit({ limit: deps.perAddress.perMinute, windowMs: 60_000, clock: deps.perAddress.clock, key: (req) => addressOf(req), recordAnonymous: true })] : [],
    async handle({ body: { clientId, clientSecret } }, req, res, deps) {
      // RFC 6749 §5.1 also asks for the HTTP/1.0 header; Cache-Control: no-store is every /api/v1 answer's (app.ts).
      res.setHeader('Pragma', 'no-cache');
      const key = attemptKey(req, clientId);
      const tried = clientId.slice(0, CLIENT_ID_KEPT);
      try {
        deps.addressLimiter?.check(addressOf(req));
        deps.limiter?.check(key);
        const grant = await deps.authenticator.issueToken({ clientId, clientSecret });
        // Only the client id's own count is forgiven: successes with one account must not clear a spray of others from the same address.
        deps.limiter?.succeed(key);
        await recordSecurityEvent(res, { action: 'auth.token.issued', as: { id: clientId, role: grant.role }, target: clientId, details: {}, kind: 'once' });
        res.json(grant.token satisfies Shape<typeof AccessToken>);
      } catch (error) {
        if (isVaultError(error) && error.code === 'ERR_AUTH_INVALID_CLIENT') {
          const lockouts = [
            deps.limiter?.fail(key) ? { scope: 'client-and-address', limiter: deps.limiter } : null,
            deps.addressLimiter?.fail(addressOf(req)) ? { scope: 'address', limiter: deps.addressLimiter } : null,
          ];
          deps.logger.warn('access token refused', { requestId: res.locals.requestId, clientId: tried, ip: req.ip });
          res.setHeader('WWW-Authenticate', `Bearer realm="${AUTH_REALM}"`);
          await recordSecurityEvent(res, { action: 'auth.token.refused', target: tried, details: { clientId: tried, code: error.code } });
          for (const lockout of lockouts) {
            if (!lockout) continue;
            const details = { clientId: tried, scope: lockout.scope, failures: lockout.limiter.maxFailures, windowSeconds: lockout.limiter.windowMs / 1000 };
            await recordSecurityEvent(res, { action: 'auth.lockout', target: tried, details, kind: 'once' });
          }
        } else if (isVaultError(error) && (error.code === 'ERR_AUTH_TOO_MANY_ATTEMPTS' || error.code === 'ERR_AUTH_BUSY')) {
          retryAfter(res, error);
          deps.logger.warn('access token request throttled', { requestId: res.locals.requestId, clientId: tried, ip: req.ip, code: error.code });
          await recordSecurityEvent(res, { action: 'auth.token.refused', target: tried, details: { clientId: tried, code: error.code } });
        }
        throw error;
      }
    },
  }),
];

/** The token endpoint. Public: mount it before the authentication gate. */
export function authRoutes(deps: AuthRouteDependencies) {
  return mountRoutes(AUTH_ROUTES, deps);
}
