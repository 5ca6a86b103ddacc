import type { Request } from 'express';
import type { Authenticator, FailedAttemptLimiter } from '../../modules/auth/index.js';
import { isVaultError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { AUTH_REALM } from '../middleware/authenticate.js';
import type { Shape } from '../schemas/common.js';
import { AccessToken, TokenRequest } from '../schemas/auth.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface AuthRouteDependencies {
  readonly authenticator: Pick<Authenticator, 'issueToken'>;
  readonly logger: Logger;
  /** Brakes repeated failures per client id and address; optional. */
  readonly limiter?: FailedAttemptLimiter | undefined;
}

function attemptKey(req: Request, clientId: string): string {
  return `${clientId.slice(0, 200)}\u0000${req.ip ?? req.socket.remoteAddress ?? ''}`;
}

/** `POST /api/v1/auth/token` with `{clientId, clientSecret}` → `{accessToken, tokenType: "Bearer", expiresIn}`. */
export const AUTH_ROUTES: readonly RouteDefinition<AuthRouteDependencies>[] = [
  routeOf<AuthRouteDependencies>()({
    method: 'post',
    path: '/api/v1/auth/token',
    tag: 'Authentication',
    summary: 'Exchange client credentials for an access token',
    description: 'Any account, with its client id and secret. Repeated failures per client id and address are refused for a while (429 with Retry-After).',
    roles: 'anyone',
    request: { body: TokenRequest },
    responses: { 200: { description: 'A bearer token', content: { 'application/json': AccessToken } } },
    async handle({ body: { clientId, clientSecret } }, req, res, deps) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      const key = attemptKey(req, clientId);
      try {
        deps.limiter?.check(key);
        const token = await deps.authenticator.issueToken({ clientId, clientSecret });
        deps.limiter?.succeed(key);
        res.json(token satisfies Shape<typeof AccessToken>);
      } catch (error) {
        if (isVaultError(error) && error.code === 'ERR_AUTH_INVALID_CLIENT') {
          deps.limiter?.fail(key);
          deps.logger.warn('access token refused', { requestId: res.locals.requestId, clientId: clientId.slice(0, 64), ip: req.ip });
          res.setHeader('WWW-Authenticate', `Bearer realm="${AUTH_REALM}"`);
        } else if (isVaultError(error) && error.code === 'ERR_AUTH_TOO_MANY_ATTEMPTS') {
          const retry = error.details?.retryAfterSeconds;
          if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
          deps.logger.warn('access token request throttled', { requestId: res.locals.requestId, clientId: clientId.slice(0, 64), ip: req.ip });
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
