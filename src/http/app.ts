import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../shared/logger.js';
import type { Lifecycle } from './lifecycle.js';
import './locals.js';
import { errorHandler, routeNotFound } from './middleware/errors.js';
import { requestId } from './middleware/request-id.js';
import { requestLog } from './middleware/request-log.js';
import { healthRoutes, type HealthDependencies } from './routes/health.js';

export interface AppDependencies {
  readonly logger: Logger;
  readonly lifecycle: Lifecycle;
  /** Largest JSON body an authenticated route reads; routes open to anyone read less (middleware/json-body.ts). */
  readonly jsonLimitBytes: number;
  /** Express `trust proxy` (which X-Forwarded-For hops to believe); false by default. */
  readonly trustProxy?: boolean | number | string;
  readonly health: Omit<HealthDependencies, 'isShuttingDown'>;
  /** Feature routers, mounted in order after the health routes. */
  readonly routers?: readonly Router[];
}

/**
 * helmet's headers, with those that assume https sent only over https (`req.secure`, which honours `trust proxy`):
 * HSTS; the CSP's `upgrade-insecure-requests`, which would make a browser fetch the page's own scripts over https
 * from a vault served over plain http on an intranet address, and so block them; and Cross-Origin-Opener-Policy,
 * which browsers ignore (with a console error) on an origin that is not https.
 */
function securityHeaders(): RequestHandler {
  const overHttps = helmet();
  const overHttp = helmet({
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  return (req, res, next) => (req.secure ? overHttps : overHttp)(req, res, next);
}

/**
 * The express application: security headers, request ids, logs, routes, problem+json errors. Each route reads its
 * own JSON body after its role check (routes/route.ts); the API's answers are not stored by caches unless a public
 * route says otherwise.
 */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('etag', false);
  app.use(requestId);
  app.use(requestLog(deps.logger));
  app.use(securityHeaders());
  app.use((_req, res, next) => {
    if (deps.lifecycle.shuttingDown) res.setHeader('Connection', 'close');
    res.locals.jsonLimitBytes = deps.jsonLimitBytes;
    next();
  });
  app.use('/api/v1', (_req, res, next) => {
    // Answers of the API carry personal data; the public, cacheable ones (catalogue, trust list) say so themselves.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(healthRoutes({ ...deps.health, isShuttingDown: () => deps.lifecycle.shuttingDown }));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}
