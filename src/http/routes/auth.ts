import { Router, type Request } from 'express';
import { z } from 'zod';
import { type Authenticator, type FailedAttemptLimiter, MAX_SECRET_LENGTH } from '../../modules/auth/index.js';
import { isVaultError, RequestError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { AUTH_REALM } from '../middleware/authenticate.js';

export interface AuthRouteDependencies {
  readonly authenticator: Pick<Authenticator, 'issueToken'>;
  readonly logger: Logger;
  /** Brakes repeated failures per client id and address; optional. */
  readonly limiter?: FailedAttemptLimiter | undefined;
}

export const TokenRequest = z
  .object({
    clientId: z.string().min(1).max(200),
    clientSecret: z.string().min(1).max(MAX_SECRET_LENGTH),
  })
  .strict();

/** A 400 naming the first bad member; never echoes values (the body holds a secret). */
export function invalidBody(error: z.ZodError): RequestError {
  const issues = error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
  const first = issues[0];
  return new RequestError('ERR_REQUEST_INVALID', first ? `${first.path}: ${first.message}` : 'invalid request body', { field: first?.path, issues });
}

function attemptKey(req: Request, clientId: string): string {
  return `${clientId.slice(0, 200)}\u0000${req.ip ?? req.socket.remoteAddress ?? ''}`;
}

/**
 * `POST /api/v1/auth/token` with `{clientId, clientSecret}` →
 * `{accessToken, tokenType: "Bearer", expiresIn}`. Public: mount it before
 * the authentication gate.
 */
export function authRoutes(deps: AuthRouteDependencies): Router {
  const router = Router();
  router.post('/api/v1/auth/token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const parsed = TokenRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw invalidBody(parsed.error);
    const { clientId, clientSecret } = parsed.data;
    const key = attemptKey(req, clientId);
    try {
      deps.limiter?.check(key);
      const token = await deps.authenticator.issueToken({ clientId, clientSecret });
      deps.limiter?.succeed(key);
      res.json(token);
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
  });
  return router;
}
