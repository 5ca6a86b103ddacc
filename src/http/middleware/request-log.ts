import type { RequestHandler } from 'express';
import type { Logger } from '../../shared/logger.js';

/** One line per finished request; the logger masks identity numbers in the URL. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const fields = {
        requestId: res.locals.requestId,
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      };
      if (res.statusCode >= 500) logger.warn('request failed', fields);
      else logger.info('request', fields);
    });
    next();
  };
}
