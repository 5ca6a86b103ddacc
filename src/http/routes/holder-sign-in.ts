import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { holderActor, HOLDER_ROLE, type HolderSignIn, type HolderSignInCode, type SignInRefusal } from '../../modules/holders/index.js';
import { PermissionError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { holderCookieOptions, holderSessionToken, HOLDER_SESSION_COOKIE } from '../middleware/holder-session.js';
import { originOf, recordSecurityEvent } from '../middleware/security-events.js';
import { signInErrorPage } from '../pages/sign-in-error-page.js';
import { STATUS_BY_CODE } from '../problem.js';
import { forgetKept } from './holder-page-support.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

/** The cookie that carries a sign-in under way (its sealed state, nonce, PKCE verifier and return path) to the callback, and nowhere else. */
export const SIGN_IN_COOKIE = 'vault_holder_signin';
const CALLBACK_PATH = '/me/callback';

export interface HolderSignInRouteDependencies {
  readonly signIn: HolderSignIn;
  readonly publicUrl: string;
  readonly logger: Logger;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Answers a refused sign-in: audited (the code and what may be logged, never a claim's value), logged, and shown as a page. */
async function refuse(res: Response, deps: HolderSignInRouteDependencies, refusal: SignInRefusal): Promise<void> {
  deps.logger.warn('holder sign-in refused', { requestId: res.locals.requestId, code: refusal.code, ...refusal.details });
  await recordSecurityEvent(res, { action: 'holder.signin.refused', target: refusal.code, details: { code: refusal.code, ...refusal.details } });
  res.status(STATUS_BY_CODE[refusal.code]).type('html').send(signInErrorPage(refusal.code, res.locals.requestId));
}

const route = routeOf<HolderSignInRouteDependencies>();
const TAG = 'Holder sign-in';
const page = (description: string) => ({ description, content: { 'text/html': 'text' as const } });
const redirect = (description: string) => ({ description, content: { 'text/html': 'text' as const }, headers: { Location: 'Where the browser goes next' } });
const failures = (codes: readonly HolderSignInCode[]) =>
  Object.fromEntries(codes.map((code) => [STATUS_BY_CODE[code], page(`Sign-in failed: a page (Chinese first) with the stable code (${code} …)`)]));

const SignInQuery = z.object({
  returnTo: z.string().max(200).optional().describe('A path under /me to come back to after signing in; anything else is /me'),
});

const CallbackQuery = z.object({
  code: z.string().max(2000).optional().describe('The authorization code'),
  state: z.string().max(2000).optional().describe('Must match the sign-in this browser started'),
  iss: z.string().max(2000).optional().describe('The issuer (RFC 9207)'),
  error: z.string().max(2000).optional().describe('Why the identity platform did not sign the holder in'),
  error_description: z.string().max(2000).optional(),
});

/**
 * Holders sign in through the province's identity platform (OpenID Connect):
 * pages and redirects for browsers, not JSON. The sign-in's checks travel
 * sealed in a cookie scoped to the callback; the session is a cookie too.
 */
export const HOLDER_SIGN_IN_ROUTES: readonly RouteDefinition<HolderSignInRouteDependencies>[] = [
  route({
    method: 'get',
    path: '/me/sign-in',
    tag: TAG,
    summary: 'Start signing in: redirects to the identity platform (authorization code flow, PKCE S256, state, nonce)',
    roles: 'anyone',
    request: { query: SignInQuery },
    responses: {
      302: redirect(`To the identity platform's authorization endpoint; sets the ${SIGN_IN_COOKIE} cookie (HttpOnly, SameSite=Lax, ten minutes, path ${CALLBACK_PATH})`),
      ...failures(['ERR_HOLDER_SIGN_IN_UNAVAILABLE']),
    },
    async handle({ query }, _req, res, deps) {
      res.setHeader('Cache-Control', 'no-store');
      const started = await deps.signIn.start(query.returnTo);
      if (!started.ok) return refuse(res, deps, started);
      res.cookie(SIGN_IN_COOKIE, started.sealed, { ...holderCookieOptions(deps.publicUrl), path: CALLBACK_PATH, maxAge: started.maxAgeSeconds * 1000 });
      res.redirect(302, started.url);
    },
  }),
  route({
    method: 'get',
    path: CALLBACK_PATH,
    tag: TAG,
    summary: "The identity platform's answer: validates it, opens the holder's session and redirects to /me",
    description:
      'Redeems the code with the PKCE verifier, validates the ID token (signature, issuer, audience, expiry, nonce) and maps its citizen ID number or credit code claim to the holder. A token carrying both is a company sign-in (its legal representative or agent). Refusals are audited as `holder.signin.refused` with their code.',
    roles: 'anyone',
    request: { query: CallbackQuery },
    responses: {
      302: redirect(`To the path under /me the sign-in started from; sets the ${HOLDER_SESSION_COOKIE} session cookie (HttpOnly, SameSite=Lax, Secure over https, path /)`),
      ...failures(['ERR_HOLDER_SIGN_IN_TRANSACTION', 'ERR_HOLDER_SIGN_IN_REFUSED', 'ERR_HOLDER_CLAIM_INVALID', 'ERR_HOLDER_SIGN_IN_UNAVAILABLE']),
    },
    async handle(_input, req, res, deps) {
      res.setHeader('Cache-Control', 'no-store');
      const sealed = cookieOf(req, SIGN_IN_COOKIE);
      // One sign-in, one try: the checks are gone whatever the outcome.
      res.clearCookie(SIGN_IN_COOKIE, { ...holderCookieOptions(deps.publicUrl), path: CALLBACK_PATH });
      // The URL registered with the platform, with the answer's query: the token request repeats it as redirect_uri.
      const query = req.originalUrl.indexOf('?');
      const callbackUrl = new URL(`${deps.publicUrl}${CALLBACK_PATH}${query < 0 ? '' : req.originalUrl.slice(query)}`);
      const finished = await deps.signIn.finish(callbackUrl, sealed, originOf(req, res));
      if (!finished.ok) return refuse(res, deps, finished);
      res.cookie(HOLDER_SESSION_COOKIE, finished.token, holderCookieOptions(deps.publicUrl, finished.expiresAt));
      const actor = holderActor(finished.principal);
      await recordSecurityEvent(res, {
        action: 'holder.signin',
        as: { id: actor.id, role: HOLDER_ROLE },
        kind: 'once',
        details: { holderFingerprint: finished.holderFingerprint, holderType: finished.principal.holder.type, sessionId: finished.principal.sessionId },
      });
      res.redirect(302, finished.returnTo);
    },
  }),
  route({
    method: 'post',
    path: '/me/sign-out',
    tag: TAG,
    summary: "Sign out: ends the holder's session and clears its cookie",
    description: "Only from the vault's own pages: the `Origin` header must be the public URL's origin (else 403 ERR_ORIGIN_REFUSED). Audited as `holder.signout`.",
    roles: 'anyone',
    responses: { 303: redirect('To the front page, the session ended (or there was none)') },
    async handle(_input, req, res, deps) {
      if (req.headers.origin !== new URL(deps.publicUrl).origin) throw new PermissionError('ERR_ORIGIN_REFUSED');
      const ended = await deps.signIn.signOut(holderSessionToken(req));
      res.clearCookie(HOLDER_SESSION_COOKIE, holderCookieOptions(deps.publicUrl));
      forgetKept(res, deps.publicUrl);
      if (ended) {
        const actor = holderActor(ended.principal);
        await recordSecurityEvent(res, {
          action: 'holder.signout',
          as: { id: actor.id, role: HOLDER_ROLE },
          kind: 'once',
          details: { holderFingerprint: ended.holderFingerprint, sessionId: ended.principal.sessionId },
        });
      }
      res.redirect(303, '/');
    },
  }),
];

export function holderSignInRoutes(deps: HolderSignInRouteDependencies): Router {
  return mountRoutes(HOLDER_SIGN_IN_ROUTES, deps);
}
