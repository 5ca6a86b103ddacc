import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../../shared/clock.js';
import { ServiceError } from '../../shared/errors.js';
import { recordSecurityEvent, routeLabel } from './security-events.js';

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** What is limited: an account, a client IP… */
  readonly key: (req: Request, res: Response) => string;
  /** Keys remembered at most (oldest windows are dropped first). */
  readonly maxKeys?: number;
  /** Write refusals of anonymous callers to the audit log too (the token endpoint); otherwise only those of authenticated ones. */
  readonly recordAnonymous?: boolean;
}

/**
 * A fixed-window request limit per key, in memory (per API node). Over the
 * limit: 429 ERR_RATE_LIMITED with Retry-After.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = options.maxKeys ?? 50_000;
  return async (req, res, next) => {
    const now = options.clock.now().getTime();
    const key = options.key(req, res);
    let window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) {
      if (!window && windows.size >= maxKeys) {
        for (const [old, entry] of windows) if (now - entry.start >= options.windowMs || windows.size >= maxKeys) windows.delete(old);
      }
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > options.limit) {
      // On protected routes the refusal is a security event of the account's; anonymous verifiers' floods are not written.
      if (res.locals.principal || options.recordAnonymous)
        await recordSecurityEvent(res, { action: 'rate.limited', target: routeLabel(req), details: { limit: options.limit, windowSeconds: options.windowMs / 1000 } });
      throw new ServiceError('ERR_RATE_LIMITED', `at most ${options.limit} requests per ${options.windowMs / 1000} s`, {
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000)),
      });
    }
    next();
  };
}
