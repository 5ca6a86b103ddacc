import { Router, type CookieOptions, type Request, type RequestHandler, type Response } from 'express';
import type { HolderPrincipal, HolderSessions } from '../../modules/holders/index.js';
import { AuthenticationError, PermissionError } from '../../shared/errors.js';
import '../locals.js';
import { originOf } from './security-events.js';

/** The cookie a signed-in holder's browser keeps: the session token, which the store knows only by its hash. */
export const HOLDER_SESSION_COOKIE = 'vault_holder';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The token in the request's `vault_holder` cookie, if any (the first one, as browsers send the most specific first). */
export function holderSessionToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === HOLDER_SESSION_COOKIE) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Lax (sent when the identity
 * platform redirects back, withheld from other sites' requests that change
 * anything), Secure over https.
 */
export function holderCookieOptions(publicUrl: string, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: publicUrl.startsWith('https:'), path: '/', ...(expires ? { expires } : {}) };
}

export interface HolderSessionGateDependencies {
  readonly sessions: Pick<HolderSessions, 'resolve'>;
}

/** Resolves the `vault_holder` cookie, when a request has one, into `res.locals.holder`. Mount it before every holder router. */
export function holderSessionGate(deps: HolderSessionGateDependencies): Router {
  return Router().use(async (req, res, next) => {
    const token = holderSessionToken(req);
    if (token !== undefined) {
      const holder = await deps.sessions.resolve(token, originOf(req, res));
      if (holder) res.locals.holder = holder;
    }
    next();
  });
}

/** The signed-in holder; throws ERR_HOLDER_SESSION_MISSING when the request has no live session. */
export function holderOf(res: Response): HolderPrincipal {
  const holder = res.locals.holder;
  if (!holder) throw new AuthenticationError('ERR_HOLDER_SESSION_MISSING');
  return holder;
}

/**
 * Holder routes: a live session, and for requests that change anything an
 * `Origin` that is the vault's own, so that no other site can act with the
 * holder's cookie (SameSite is the first line; this is the second).
 */
export function requireHolder(publicUrl: string): RequestHandler {
  const ownOrigin = new URL(publicUrl).origin;
  return (req, res, next) => {
    holderOf(res);
    if (!SAFE_METHODS.has(req.method) && req.headers.origin !== ownOrigin) throw new PermissionError('ERR_ORIGIN_REFUSED');
    next();
  };
}
