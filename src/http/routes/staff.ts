import { Router, type Response } from 'express';
import type { OpenedStaffSession, StaffSignIn } from '../../modules/staff/index.js';
import type { Clock } from '../../shared/clock.js';
import { AuthenticationError } from '../../shared/errors.js';
import { principalOf } from '../middleware/authenticate.js';
import { originOf } from '../middleware/security-events.js';
import { requireStaffSession, staffCookieOptions, staffSessionCookieName, staffSessionToken } from '../middleware/staff-session.js';
import type { Shape } from '../schemas/common.js';
import { SignedOut, StaffSession, StaffSignInRequest, StaffSignInResult, TotpEnrolmentRequest } from '../schemas/staff.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface StaffRouteDependencies {
  readonly signIn: StaffSignIn;
  readonly publicUrl: string;
  /** The otpauth URI as an SVG QR code. */
  readonly qrSvg: (text: string) => string;
  /** Gives the cookie's Max-Age: the session's time left. */
  readonly clock: Clock;
}

const route = routeOf<StaffRouteDependencies>();
const TAG = 'Staff sign-in';
const STAFF = ['issuer', 'clerk', 'sysadmin', 'secadmin', 'auditor'] as const;

function startSession(res: Response, opened: OpenedStaffSession, deps: StaffRouteDependencies): void {
  const timeLeft = Date.parse(opened.session.expiresAt) - deps.clock.now().getTime();
  res.cookie(staffSessionCookieName(deps.publicUrl), opened.token, staffCookieOptions(deps.publicUrl, timeLeft));
  res.json({ status: 'signed-in', session: opened.session } satisfies Shape<typeof StaffSignInResult>);
}

/**
 * People of the staff sign in to the console (/console) with 账号, 密码 and
 * 动态口令; the session lives in the store and in an HttpOnly, SameSite=Strict
 * cookie. Programs keep using service accounts and bearer tokens.
 */
export const STAFF_ROUTES: readonly RouteDefinition<StaffRouteDependencies>[] = [
  route({
    method: 'post',
    path: '/api/v1/staff/sign-in',
    tag: TAG,
    summary: 'Sign a member of staff in (账号, 密码, 动态口令)',
    description:
      'Opens a session and sets its cookie (HttpOnly, SameSite=Strict; `__Host-` and Secure over https). A session ends after 15 minutes idle and 8 hours in all (configurable). ' +
      'Someone whose role needs a one-time password and who has not enrolled an authenticator app yet gets an enrolment to finish instead. ' +
      'Repeated failures lock the account for a while (423 ERR_STAFF_LOCKED with Retry-After). Every sign-in, failure and lockout is audited. Service accounts cannot sign in here.',
    roles: 'anyone',
    request: { body: StaffSignInRequest },
    responses: { 200: { description: 'Signed in, or an enrolment to finish', content: { 'application/json': StaffSignInResult } } },
    async handle({ body }, req, res, deps) {
      const outcome = await deps.signIn.signIn(body, originOf(req, res));
      if (outcome.status === 'signed-in') return startSession(res, outcome, deps);
      const enrolment = { ticket: outcome.ticket, secret: outcome.secret, otpauthUri: outcome.otpauthUri, qrSvg: deps.qrSvg(outcome.otpauthUri) };
      res.json({ status: 'enrol', enrolment } satisfies Shape<typeof StaffSignInResult>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/staff/totp-enrolment',
    tag: TAG,
    summary: 'Finish enrolling an authenticator app and sign in',
    description: 'The ticket from the sign-in and the first code the app shows. The secret is stored (sealed) only now.',
    roles: 'anyone',
    request: { body: TotpEnrolmentRequest },
    responses: { 200: { description: 'Signed in', content: { 'application/json': StaffSignInResult } } },
    async handle({ body }, req, res, deps) {
      startSession(res, await deps.signIn.enrol(body, originOf(req, res)), deps);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/staff/session',
    tag: TAG,
    summary: 'Who is signed in to the console',
    description: 'Renews the idle time, as every request with the session does.',
    roles: STAFF,
    rolesNote: 'with a staff session cookie; a bearer token gets 401 ERR_STAFF_SESSION_MISSING',
    responses: { 200: { description: 'The session', content: { 'application/json': StaffSession } } },
    handle(_input, _req, res) {
      const session = res.locals.staffSession;
      if (!session) throw new AuthenticationError('ERR_STAFF_SESSION_MISSING');
      res.json(session satisfies Shape<typeof StaffSession>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/staff/sign-out',
    tag: TAG,
    summary: 'End this session',
    description: 'Clears the cookie; audited when there was a session.',
    roles: 'anyone',
    responses: { 200: { description: 'Signed out: 1 session ended, or 0 when there was none', content: { 'application/json': SignedOut } } },
    async handle(_input, req, res, deps) {
      const token = staffSessionToken(req, deps.publicUrl);
      const sessionsEnded = token === undefined ? 0 : await deps.signIn.signOut(token, originOf(req, res));
      res.clearCookie(staffSessionCookieName(deps.publicUrl), staffCookieOptions(deps.publicUrl));
      res.json({ sessionsEnded } satisfies Shape<typeof SignedOut>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/staff/sign-out-everywhere',
    tag: TAG,
    summary: 'End every session of this account, on every device',
    roles: STAFF,
    responses: { 200: { description: 'How many sessions ended', content: { 'application/json': SignedOut } } },
    async handle(_input, _req, res, deps) {
      const sessionsEnded = await deps.signIn.signOutEverywhere(principalOf(res));
      res.clearCookie(staffSessionCookieName(deps.publicUrl), staffCookieOptions(deps.publicUrl));
      res.json({ sessionsEnded } satisfies Shape<typeof SignedOut>);
    },
  }),
];

/** The staff routes; mount them after the staff session gate and before the bearer token gate. */
export function staffRoutes(deps: StaffRouteDependencies): Router {
  const router = Router();
  // Before the role check, so that a bearer token hears what is missing.
  for (const [method, path] of [
    ['GET', '/api/v1/staff/session'],
    ['POST', '/api/v1/staff/sign-out-everywhere'],
  ] as const) {
    const check = requireStaffSession();
    router.use(path, (req, res, next) => (req.method === method || (method === 'GET' && req.method === 'HEAD') ? check(req, res, next) : next()));
  }
  router.use(mountRoutes(STAFF_ROUTES, deps));
  return router;
}
