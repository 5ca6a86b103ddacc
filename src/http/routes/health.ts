import { Router } from 'express';
import { ServiceError } from '../../shared/errors.js';

export interface HealthDependencies {
  /** Rejects when the store cannot answer. */
  readonly pingStore: () => Promise<void>;
  readonly storeKind: string;
  /** True once shutdown began: the load balancer should stop sending traffic. */
  readonly isShuttingDown: () => boolean;
}

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can serve). */
export function healthRoutes(deps: HealthDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown()) throw new ServiceError('ERR_SHUTTING_DOWN');
    await deps.pingStore();
    res.json({ status: 'ready', store: deps.storeKind });
  });
  return router;
}
