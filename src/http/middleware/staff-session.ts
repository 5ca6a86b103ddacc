import { Router, type CookieOptions, type Request, type RequestHandler } from 'express';
import type { StaffSignIn } from '../../modules/staff/index.js';
import { AuthenticationError, PermissionError } from '../../shared/errors.js';
import '../locals.js';
import { originOf } from './security-events.js';

/**
 * The cookie a signed-in member of staff's browser keeps: the session token,
 * which the store knows only by its hash. Over https it is a `__Host-` cookie
 * (Secure, Path=/, no Domain: no other host or path can set or shadow it).
 */
export function staffSessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? '__Host-vault_staff' : 'vault_staff';
}

/**
 * HttpOnly, SameSite=Strict (never sent with another site's request), Secure
 * over https. `maxAgeMs` (the session's time left) gives Max-Age, which the
 * browser counts on its own clock, so a skewed one keeps it neither too long nor too short.
 */
export function staffCookieOptions(publicUrl: string, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: publicUrl.startsWith('https:'), path: '/', ...(maxAgeMs === undefined ? {} : { maxAge: Math.max(0, maxAgeMs) }) };
}

/** The token in the request's staff session cookie, if any. */
export function staffSessionToken(req: Request, publicUrl: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  const name = staffSessionCookieName(publicUrl);
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const STAFF_PATHS = '/api/v1/staff/';

export interface StaffSessionGateDependencies {
  readonly signIn: Pick<StaffSignIn, 'resolve'>;
  readonly publicUrl: string;
}

/**
 * Resolves the staff session cookie of a request without an Authorization
 * header into `res.locals.principal` and `res.locals.staffSession`, so every
 * /api/v1 route works with the cookie as with a bearer token. A change
 * (any method but GET, HEAD, OPTIONS) made with the cookie, and any change
 * under /api/v1/staff/, must carry the vault's own Origin: no other site can
 * act with a member of staff's browser (SameSite=Strict is the first line;
 * this is the second). Mount it before every router that reads a principal.
 */
export function staffSessionGate(deps: StaffSessionGateDependencies): Router {
  const ownOrigin = new URL(deps.publicUrl).origin;
  return Router().use(async (req, res, next) => {
    const changes = !SAFE_METHODS.has(req.method);
    // Only the API reads a principal: the console's own files are served without a look at the store.
    const token = req.headers.authorization === undefined && req.path.startsWith('/api/') ? staffSessionToken(req, deps.publicUrl) : undefined;
    const resolved = token === undefined ? null : await deps.signIn.resolve(token, originOf(req, res));
    if (changes && (resolved !== null || req.path.startsWith(STAFF_PATHS)) && req.headers.origin !== ownOrigin) throw new PermissionError('ERR_ORIGIN_REFUSED');
    if (resolved) {
      res.locals.principal = resolved.principal;
      res.locals.staffSession = resolved.session;
    }
    next();
  });
}

/** Routes only a staff session opens: a bearer token or no cookie gets 401 ERR_STAFF_SESSION_MISSING, before any role check. */
export function requireStaffSession(): RequestHandler {
  return (_req, res, next) => {
    if (!res.locals.staffSession) throw new AuthenticationError('ERR_STAFF_SESSION_MISSING');
    next();
  };
}
