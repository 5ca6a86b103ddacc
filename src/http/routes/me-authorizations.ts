import type { Response, Router } from 'express';
import type { HolderAuthorizations } from '../../modules/authorizations/index.js';
import type { DepartmentRepository } from '../../modules/departments/index.js';
import { holderActor } from '../../modules/holders/index.js';
import type { QrEncoder } from '../../modules/templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { holderOf } from '../middleware/holder-session.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { qrSvg } from '../qr-svg.js';
import type { Shape } from '../schemas/common.js';
import { Authorization, AuthorizationList, AuthorizationParams, CreatedAuthorization, NewAuthorizationBody, OfficeList } from '../schemas/authorizations.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface HolderAuthorizationRouteDependencies {
  readonly authorizations: HolderAuthorizations;
  readonly departments: Pick<DepartmentRepository, 'list'>;
  readonly qr: QrEncoder;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Authorizations one holder may make per minute (a brake on a script spraying codes). */
  readonly createsPerMinute: number;
}

const route = routeOf<HolderAuthorizationRouteDependencies>();
const TAG = 'Holders';

/** The signed-in holder acting on their own authorizations. */
function acting(res: Response) {
  const principal = holderOf(res);
  return { holder: principal.holder, actor: holderActor(principal) };
}

/** 授权用证: a holder makes, lists and withdraws authorizations of offices, and reads the offices to choose from. */
export const HOLDER_AUTHORIZATION_ROUTES: readonly RouteDefinition<HolderAuthorizationRouteDependencies>[] = [
  route({
    method: 'post',
    path: '/api/v1/me/authorizations',
    tag: TAG,
    summary: 'Authorize an office (授权用证): make a 用证码',
    description:
      'Licenses chosen must be yours (otherwise 404 ERR_LICENSE_NOT_FOUND, as for none); the office a known department (else 400 ERR_AUTHORIZATION_OFFICE_UNKNOWN) or null for any; ' +
      'lifetime 5 minutes to 7 days (30 by default), 1 to 20 uses (1 by default); else 400 ERR_AUTHORIZATION_INVALID. The code is answered this once, with its QR code ' +
      '(whose content is the 8 symbols alone, what a clerk types); the vault keeps only its hash.',
    roles: 'holder',
    request: { body: NewAuthorizationBody },
    responses: {
      201: { description: 'The authorization, its code and the QR code of it', content: { 'application/json': CreatedAuthorization }, headers: { Location: 'The authorization' } },
    },
    before: (deps) => [rateLimit({ limit: deps.createsPerMinute, windowMs: 60_000, clock: deps.clock, key: (_req, res) => holderOf(res).sessionId })],
    async handle({ body }, _req, res, deps) {
      const { authorization, code } = await deps.authorizations.create(acting(res), body);
      const symbols = code.replace('-', '');
      res
        .status(201)
        .location(`/api/v1/me/authorizations/${authorization.id}`)
        .json({ authorization, code, expiresAt: authorization.expiresAt, qrSvg: qrSvg(deps.qr.encode(symbols), `用证码 ${code}`) } satisfies Shape<typeof CreatedAuthorization>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/authorizations',
    tag: TAG,
    summary: 'My authorizations: live ones, and those ended in the last 7 days (marked)',
    roles: 'holder',
    responses: { 200: { description: 'Newest first, never with the code', content: { 'application/json': AuthorizationList } } },
    async handle(_input, _req, res, deps) {
      res.json({ items: await deps.authorizations.list(acting(res)) } satisfies Shape<typeof AuthorizationList>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/authorizations/:id',
    tag: TAG,
    summary: 'One of my authorizations',
    description: 'Never the code. Another holder’s, or none, is 404 ERR_AUTHORIZATION_NOT_FOUND.',
    roles: 'holder',
    request: { params: AuthorizationParams },
    responses: { 200: { description: 'The authorization, with its state now', content: { 'application/json': Authorization } } },
    async handle({ params }, _req, res, deps) {
      res.json((await deps.authorizations.get(acting(res), params.id)) satisfies Shape<typeof Authorization>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/me/authorizations/:id/withdraw',
    tag: TAG,
    summary: 'Withdraw an authorization (撤销授权)',
    description: 'Its code stops working at once. Another holder’s, or none, is 404 ERR_AUTHORIZATION_NOT_FOUND; withdrawing twice changes nothing.',
    roles: 'holder',
    request: { params: AuthorizationParams },
    responses: { 200: { description: 'The authorization, withdrawn', content: { 'application/json': Authorization } } },
    async handle({ params }, _req, res, deps) {
      res.json((await deps.authorizations.withdraw(acting(res), params.id)) satisfies Shape<typeof Authorization>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/offices',
    tag: TAG,
    summary: 'The offices an authorization may name',
    roles: 'holder',
    responses: { 200: { description: 'Every department, by credit code', content: { 'application/json': OfficeList } } },
    async handle(_input, _req, res, deps) {
      const offices = (await deps.departments.list()).map((department) => ({ creditCode: department.creditCode, name: department.name }));
      res.json({ offices } satisfies Shape<typeof OfficeList>);
    },
  }),
];

export function holderAuthorizationRoutes(deps: HolderAuthorizationRouteDependencies): Router {
  return mountRoutes(HOLDER_AUTHORIZATION_ROUTES, deps, { publicUrl: deps.publicUrl });
}
