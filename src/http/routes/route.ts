import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Role } from '../../modules/auth/index.js';
import { requireRole } from '../middleware/authenticate.js';
import { requireHolder } from '../middleware/holder-session.js';
import { jsonBody } from '../middleware/json-body.js';
import { parseInput } from '../schemas/parse.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** A body that is not JSON: text (HTML, scripts, PEM) or bytes (PDF). */
export type RawBody = 'text' | 'binary';

/** One documented response: its body per media type. */
export interface ResponseSpec {
  readonly description: string;
  readonly content: Readonly<Record<string, z.ZodType | RawBody>>;
  /** Response headers worth knowing, name → description. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestSpec<P extends Input, Q extends Input, B extends Input> {
  /** Path parameters; parsed before the handler runs (400 ERR_REQUEST_INVALID). */
  readonly params?: P;
  /** Query; parsed before the handler runs (400 ERR_QUERY_INVALID). */
  readonly query?: Q;
  /**
   * JSON body; read after the role check and the route's `before` middleware, so a caller without a token or over
   * a rate limit costs no parsing, and parsed before the handler runs (400 ERR_REQUEST_INVALID).
   */
  readonly body?: B;
  /** A multipart upload of one file, read by the route's own middleware. */
  readonly upload?: { readonly field: string; readonly mediaType: string; readonly description: string };
  /** Request headers the route reads, name → schema. */
  readonly headers?: Readonly<Record<string, z.ZodType>>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What the handler gets: the request's parts as their schemas parsed them. */
export interface RouteInput<P extends Input, Q extends Input, B extends Input> {
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly body: Parsed<B>;
}

/**
 * One route: how express mounts it and how the OpenAPI document describes it,
 * in one place. Handlers stay thin: they call a use case and shape its answer.
 */
type Input = z.ZodType | undefined;

export interface RouteDefinition<D, P extends Input = Input, Q extends Input = Input, B extends Input = Input> {
  readonly method: HttpMethod;
  /** Express syntax: `/api/v1/licenses/:identifier`. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /**
   * Who may call it: `anyone` (no token), `holder` (a signed-in holder's session cookie; changes also need the
   * vault's own Origin), or the roles whose bearer token is accepted.
   */
  readonly roles: 'anyone' | 'holder' | readonly [Role, ...Role[]];
  /** What the roles may do beyond the role check, for the reader (e.g. "own department"). */
  readonly rolesNote?: string;
  readonly request?: RequestSpec<P, Q, B>;
  /** Every success response; problems (4XX, 5XX) are documented for every route. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Middleware after the role check and before the body is read and the input parsed (rate limits, uploads). */
  before?(deps: D): readonly RequestHandler[];
  handle(input: RouteInput<P, Q, B>, req: Request, res: Response, deps: D): void | Promise<void>;
}

/** Defines a route of a group whose handlers need `D`; infers the parsed input types from the schemas. */
export function routeOf<D>() {
  return <P extends Input = undefined, Q extends Input = undefined, B extends Input = undefined>(definition: RouteDefinition<D, P, Q, B>): RouteDefinition<D> => definition;
}

/** A route as the OpenAPI document sees it. */
export type DocumentedRoute = Omit<RouteDefinition<never>, 'before' | 'handle'>;

/** What mounting holder routes needs: the vault's public URL, whose origin changes must come from. */
export interface MountOptions {
  readonly publicUrl?: string;
}

function accessCheck(roles: RouteDefinition<unknown>['roles'], options: MountOptions): RequestHandler | null {
  if (roles === 'anyone') return null;
  if (roles !== 'holder') return requireRole(...roles);
  if (options.publicUrl === undefined) throw new TypeError('holder routes need the public URL to check the Origin of changes');
  return requireHolder(options.publicUrl);
}

/** An express router serving `routes` with `deps`: role or session check, route middleware, JSON body, parsed input, handler. */
export function mountRoutes<D>(routes: readonly RouteDefinition<D>[], deps: D, options: MountOptions = {}): Router {
  const router = Router();
  for (const route of routes) {
    const handlers: RequestHandler[] = [];
    const check = accessCheck(route.roles, options);
    if (check) handlers.push(check);
    handlers.push(...(route.before?.(deps) ?? []));
    if (route.request?.body) handlers.push(jsonBody(route.roles === 'anyone' ? 'anyone' : 'authenticated'));
    handlers.push(async (req, res) => {
      const spec = route.request;
      const input = {
        params: spec?.params ? parseInput(spec.params, req.params) : undefined,
        query: spec?.query ? parseInput(spec.query, req.query, 'ERR_QUERY_INVALID') : undefined,
        body: spec?.body ? parseInput(spec.body, req.body ?? {}) : undefined,
      };
      await route.handle(input, req, res, deps);
    });
    router[route.method](route.path, ...handlers);
  }
  return router;
}
