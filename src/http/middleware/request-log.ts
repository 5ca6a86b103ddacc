import type { RequestHandler } from 'express';
import type { Logger } from '../../shared/logger.js';

/** A share link's path carries its secret: `/s/{token}…`. */
const SHARE_LINK = /^\/s\/[^/?#]*/i;

/** The URL as logs may show it: a share link's token replaced, so that a log reader cannot open the link. */
export function loggableUrl(url: string): string {
  return url.replace(SHARE_LINK, '/s/[token]');
}

/** One line per finished request; the logger masks identity numbers in the URL, and share links' tokens are never written. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const fields = {
        requestId: res.locals.requestId,
        method: req.method,
        url: loggableUrl(req.originalUrl),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      };
      if (res.statusCode >= 500) logger.warn('request failed', fields);
      else logger.info('request', fields);
    });
    next();
  };
}
