import type { AuthorizationRedemption } from '../../modules/authorizations/index.js';
import type { TemplateCatalog } from '../../modules/templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { principalOf } from '../middleware/authenticate.js';
import { rateLimit } from '../middleware/rate-limit.js';
import type { Shape } from '../schemas/common.js';
import { RedeemRequest, Redemption } from '../schemas/authorizations.js';
import { licenseJson } from './licenses.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface RedemptionRouteDependencies {
  readonly redemption: AuthorizationRedemption;
  readonly templates: TemplateCatalog;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Redemptions per clerk account per minute (VAULT_LOOKUPS_PER_MINUTE, a window of its own). */
  readonly lookupsPerMinute: number;
}

/** `POST /api/v1/authorizations/redeem`: a clerk redeems a holder's 用证码. */
export const REDEMPTION_ROUTES: readonly RouteDefinition<RedemptionRouteDependencies>[] = [
  routeOf<RedemptionRouteDependencies>()({
    method: 'post',
    path: '/api/v1/authorizations/redeem',
    tag: 'Authorizations',
    summary: "Redeem a holder's 用证码 (用证)",
    description:
      'Answers exactly the licenses the authorization covers, with its service item and purpose, if it is live, has a use left and names the clerk’s department or any office; ' +
      'otherwise one cause, each with its own code: ERR_AUTHORIZATION_EXPIRED, ERR_AUTHORIZATION_WITHDRAWN, ERR_AUTHORIZATION_USED_UP (410), ERR_AUTHORIZATION_WRONG_OFFICE (403), ' +
      'ERR_AUTHORIZATION_UNKNOWN (404); none reveals what the code covers. Unknown codes are counted per account and per client address: too many lock redemption ' +
      '(429 ERR_AUTHORIZATION_REDEEM_LOCKED with Retry-After). Every redemption and refusal is audited and shows in the holder’s usage record.',
    roles: ['clerk'],
    rolesNote: 'a clerk of the office the holder chose, or any clerk when the holder chose any office',
    request: { body: RedeemRequest },
    responses: { 200: { description: 'The authorization’s terms and the licenses it covers', content: { 'application/json': Redemption } } },
    before: (deps) => [rateLimit({ limit: deps.lookupsPerMinute, windowMs: 60_000, clock: deps.clock, key: (_req, res) => principalOf(res).clientId })],
    async handle({ body }, _req, res, deps) {
      const redeemed = await deps.redemption.redeem(principalOf(res), body.code);
      res.json({ authorization: redeemed.authorization, licenses: redeemed.licenses.map((license) => licenseJson(license, deps)) } satisfies Shape<typeof Redemption>);
    },
  }),
];

export function redemptionRoutes(deps: RedemptionRouteDependencies) {
  return mountRoutes(REDEMPTION_ROUTES, deps);
}
