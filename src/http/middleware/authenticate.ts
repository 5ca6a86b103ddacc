import { Router, type RequestHandler, type Response } from 'express';
import { assertRole, type Authenticator, type Principal, type Role } from '../../modules/auth/index.js';
import { AuthenticationError, isVaultError, PermissionError } from '../../shared/errors.js';
import '../locals.js';
import { originOf, recordSecurityEvent } from './security-events.js';

export const AUTH_REALM = 'license-vault';

export interface AuthenticateDependencies {
  readonly authenticator: Pick<Authenticator, 'authenticate'>;
}

/** RFC 6750 §3: what a 401 or 403 from a protected resource says about bearer tokens. */
function challenge(error?: 'invalid_token' | 'insufficient_scope'): string {
  return error ? `Bearer realm="${AUTH_REALM}", error="${error}"` : `Bearer realm="${AUTH_REALM}"`;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Requires `Authorization: Bearer <token>` (unless the staff session gate
 * set the principal from a console session), verifies it against the live
 * account and sets `res.locals.principal`. Failures are VaultErrors (401) for
 * the shared error handler; this middleware adds the `WWW-Authenticate`
 * challenge to the response before passing them on.
 */
export function authenticate(deps: AuthenticateDependencies): RequestHandler {
  return async (req, res, next) => {
    // Signed in through the console: the staff session gate resolved the cookie already.
    if (res.locals.principal) return next();
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      res.setHeader('WWW-Authenticate', challenge());
      await recordUnauthenticated(res, 'ERR_AUTH_TOKEN_MISSING');
      throw new AuthenticationError('ERR_AUTH_TOKEN_MISSING', 'send an access token as Authorization: Bearer <token>');
    }
    const match = BEARER.exec(header);
    try {
      if (!match?.[1]) throw new AuthenticationError('ERR_AUTH_TOKEN_INVALID', 'the Authorization header is not a bearer token');
      const principal = await deps.authenticator.authenticate(match[1]);
      res.locals.principal = { ...principal, origin: originOf(req, res) };
    } catch (error) {
      if (isVaultError(error) && error.code.startsWith('ERR_AUTH_')) {
        res.setHeader('WWW-Authenticate', challenge('invalid_token'));
        await recordUnauthenticated(res, error.code);
      }
      throw error;
    }
    next();
  };
}

function recordUnauthenticated(res: Response, code: string): Promise<void> {
  return recordSecurityEvent(res, { action: 'auth.unauthenticated', target: null, details: { code } });
}

/**
 * `authenticate` on every `/api/v1` path that reaches it. Mount it after the
 * routers that stay public (the token endpoint, trust list, verification)
 * and before those that need a principal.
 */
export function apiAuthentication(deps: AuthenticateDependencies): Router {
  const router = Router();
  router.use('/api/v1', authenticate(deps));
  return router;
}

/** The authenticated caller; 401 if the route was reached without `authenticate`. */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal;
  if (!principal) {
    res.setHeader('WWW-Authenticate', challenge());
    throw new AuthenticationError('ERR_AUTH_TOKEN_MISSING', 'send an access token as Authorization: Bearer <token>');
  }
  return principal;
}

/** Lets the request through only for principals with one of `roles`: ERR_FORBIDDEN (403) otherwise. */
export function requireRole(...roles: readonly Role[]): RequestHandler {
  if (roles.length === 0) throw new TypeError('requireRole needs at least one role');
  return (_req, res, next) => {
    const principal = principalOf(res);
    try {
      assertRole(principal, roles);
    } catch (error) {
      // The error handler records the refusal as a security event.
      if (error instanceof PermissionError) res.setHeader('WWW-Authenticate', challenge('insufficient_scope'));
      throw error;
    }
    next();
  };
}
