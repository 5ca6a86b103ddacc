import { ServiceError } from '../../shared/errors.js';
import type { Shape } from '../schemas/common.js';
import { Liveness, Readiness } from '../schemas/health.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface HealthDependencies {
  /** Rejects when the store cannot answer. */
  readonly pingStore: () => Promise<void>;
  readonly storeKind: string;
  /** True once shutdown began: the load balancer should stop sending traffic. */
  readonly isShuttingDown: () => boolean;
}

const route = routeOf<HealthDependencies>();

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can serve). */
export const HEALTH_ROUTES: readonly RouteDefinition<HealthDependencies>[] = [
  route({
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'Liveness: the process answers',
    roles: 'anyone',
    responses: { 200: { description: 'Alive', content: { 'application/json': Liveness } } },
    handle(_input, _req, res) {
      res.json({ status: 'ok' } satisfies Shape<typeof Liveness>);
    },
  }),
  route({
    method: 'get',
    path: '/readyz',
    tag: 'Operations',
    summary: 'Readiness: the store answers and shutdown has not begun',
    roles: 'anyone',
    responses: { 200: { description: 'Ready to serve', content: { 'application/json': Readiness } } },
    async handle(_input, _req, res, deps) {
      if (deps.isShuttingDown()) throw new ServiceError('ERR_SHUTTING_DOWN');
      await deps.pingStore();
      res.json({ status: 'ready', store: deps.storeKind } satisfies Shape<typeof Readiness>);
    },
  }),
];

export function healthRoutes(deps: HealthDependencies) {
  return mountRoutes(HEALTH_ROUTES, deps);
}
