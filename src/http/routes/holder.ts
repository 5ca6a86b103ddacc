import type { Router } from 'express';
import { maskHolderNumber } from '../../modules/identity/index.js';
import { holderOf } from '../middleware/holder-session.js';
import type { Shape } from '../schemas/common.js';
import { HolderSelf } from '../schemas/holders.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface HolderRouteDependencies {
  readonly publicUrl: string;
}

const route = routeOf<HolderRouteDependencies>();

/** The signed-in holder's own routes under /api/v1/me. */
export const HOLDER_ROUTES: readonly RouteDefinition<HolderRouteDependencies>[] = [
  route({
    method: 'get',
    path: '/api/v1/me',
    tag: 'Holders',
    summary: 'Who is signed in',
    roles: 'holder',
    responses: { 200: { description: 'The signed-in holder', content: { 'application/json': HolderSelf } } },
    handle(_input, _req, res) {
      const { holder, name } = holderOf(res);
      res.json({ holder: { type: holder.type, number: maskHolderNumber(holder), name } } satisfies Shape<typeof HolderSelf>);
    },
  }),
];

export function holderRoutes(deps: HolderRouteDependencies): Router {
  return mountRoutes(HOLDER_ROUTES, deps, { publicUrl: deps.publicUrl });
}
