import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { maskIdentityNumbersInText } from '../../modules/identity/index.js';
import { ERROR_TITLES, isVaultError, RequestError, type ErrorCode, type ErrorDetails } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { loggableUrl } from './request-log.js';
import { recordSecurityEvent, routeLabel } from './security-events.js';
import { PROBLEM_CONTENT_TYPE, problem, STATUS_BY_CODE } from '../problem.js';

/** body-parser's error types, mapped to our codes. */
const BODY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  'entity.parse.failed': 'ERR_REQUEST_MALFORMED_JSON',
  'entity.too.large': 'ERR_REQUEST_TOO_LARGE',
  'encoding.unsupported': 'ERR_UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'ERR_UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'ERR_REQUEST_INVALID',
  'request.size.invalid': 'ERR_REQUEST_INVALID',
  // Set by middleware/json-body.ts before parsing.
  'entity.too.deep': 'ERR_REQUEST_TOO_DEEP',
};

function bodyErrorCode(error: unknown): ErrorCode | undefined {
  if (error === null || typeof error !== 'object' || !('type' in error) || typeof error.type !== 'string') return undefined;
  return BODY_ERRORS[error.type];
}

export function sendProblem(res: Response, code: ErrorCode, detail: string, details?: ErrorDetails): void {
  const body = problem(code, detail, res.locals.requestId, details);
  // Any refusal that knows when to come back says so (RFC 9110 10.2.3).
  if (typeof details?.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(Math.ceil(details.retryAfterSeconds)));
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Unknown routes are problems too; a path that is not validly percent-encoded (`/%C0%AE`) names no resource at all. */
export const routeNotFound: RequestHandler = (req) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    throw new RequestError('ERR_URL_MALFORMED');
  }
  throw new RequestError('ERR_ROUTE_NOT_FOUND', `no resource at ${req.method} ${maskIdentityNumbersInText(req.path)}`);
};

/**
 * The one place errors become responses: stable codes keep their message;
 * anything unexpected is logged in full and answered with ERR_INTERNAL only.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      logger.error('error after response started', { requestId: res.locals.requestId, err: error });
      next(error);
      return;
    }
    if (isVaultError(error)) {
      if (error.code === 'ERR_STORE_UNAVAILABLE') logger.error('store unavailable', { requestId: res.locals.requestId, err: error });
      // A 500 is the vault's own fault (rendering, signing, configuration): operators need its cause, the client only the code.
      else if (STATUS_BY_CODE[error.code] === 500) logger.error('fault inside the vault', { requestId: res.locals.requestId, code: error.code, err: error });
      if (STATUS_BY_CODE[error.code] === 403) {
        // Every refusal of a known caller is a security event, whether the route's role check or a use case's duty said no.
        const requiredRoles = error.details?.requiredRoles;
        const event = { action: 'auth.forbidden', target: routeLabel(req), details: { code: error.code, ...(Array.isArray(requiredRoles) ? { requiredRoles } : {}) } };
        void recordSecurityEvent(res, event).finally(() => sendProblem(res, error.code, error.message, error.details));
        return;
      }
      sendProblem(res, error.code, error.message, error.details);
      return;
    }
    // express decodes path parameters with decodeURIComponent; a bad percent-encoding is the caller's fault.
    if (error instanceof URIError) {
      sendProblem(res, 'ERR_URL_MALFORMED', ERROR_TITLES.ERR_URL_MALFORMED);
      return;
    }
    const bodyCode = bodyErrorCode(error);
    if (bodyCode) {
      // The parser's own message can quote the body back; the title says enough.
      sendProblem(res, bodyCode, ERROR_TITLES[bodyCode]);
      return;
    }
    logger.error('unexpected error', { requestId: res.locals.requestId, method: req.method, url: loggableUrl(req.originalUrl), err: error });
    sendProblem(res, 'ERR_INTERNAL', 'The request could not be completed. Quote the request id when reporting this.');
  };
}
