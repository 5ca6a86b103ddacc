import { Router, type Request, type Response } from 'express';
import { auditActor, type SecurityEventRecorder } from '../../modules/audit/index.js';
import { actorOf, ANONYMOUS, type RequestOrigin } from '../../modules/auth/index.js';
import { holderActor } from '../../modules/holders/index.js';
import type { Logger } from '../../shared/logger.js';
import '../locals.js';

/** What a request can say about itself to the audit log; the actor and origin are filled in from the request. */
export interface RequestSecurityEvent {
  readonly action: string;
  /** Who acted, when it is not the request's principal (the account a token was just issued to). */
  readonly as?: { readonly id: string; readonly role: string };
  readonly target?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
  /** `once`: written every time (successes, an auditor's reads); `repeatable` (the default): repeats are counted, not written. */
  readonly kind?: 'once' | 'repeatable';
}

export type RecordSecurityEvent = (event: RequestSecurityEvent) => Promise<void>;

export interface SecurityEventLogDependencies {
  readonly recorder: Pick<SecurityEventRecorder, 'record' | 'write'>;
  readonly logger: Logger;
}

/** The request's client address (as `trust proxy` resolves it) and id. */
export function originOf(req: Request, res: Response): RequestOrigin {
  return { address: req.ip ?? req.socket.remoteAddress ?? 'unknown', requestId: res.locals.requestId };
}

/** The route as mounted (`GET /api/v1/licenses/:identifier`), never the raw path, which may carry personal data. */
export function routeLabel(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return `${req.method} ${req.baseUrl}${typeof path === 'string' ? path : ''}`;
}

/**
 * Gives every request `res.locals.securityEvents`, which writes security
 * events to the audit log with the caller (the principal once authenticated,
 * else anonymous), its client address and the request id. A failed write is
 * logged, never turned into the request's answer. Mount it before every
 * other router.
 */
export function securityEventLog(deps: SecurityEventLogDependencies): Router {
  return Router().use((req, res, next) => {
    res.locals.securityEvents = async (event) => {
      const origin = originOf(req, res);
      const principal = res.locals.principal;
      const holder = res.locals.holder;
      const actor = event.as
        ? auditActor(event.as.id, event.as.role, origin)
        : principal
          ? actorOf({ ...principal, origin })
          : holder
            ? holderActor({ ...holder, origin })
            : auditActor(ANONYMOUS.id, ANONYMOUS.role, origin);
      const entry = { action: event.action, actor, target: event.target ?? null, details: event.details ?? {} };
      try {
        await (event.kind === 'once' ? deps.recorder.write(entry) : deps.recorder.record(entry));
      } catch (error) {
        deps.logger.error('a security event could not be written to the audit log', { requestId: origin.requestId, action: event.action, err: error });
      }
    };
    next();
  });
}

/** Records `event` if the request has a security event log (apps without one record nothing). */
export async function recordSecurityEvent(res: Response, event: RequestSecurityEvent): Promise<void> {
  await res.locals.securityEvents?.(event);
}
