import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { RequestError, ServiceError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * At most `limit` uploads from one client in flight at once; one more is
 * refused with 429 ERR_RATE_LIMITED before its body is read. A slot is freed
 * when the response finishes or the connection closes, an aborted upload
 * included. In memory, per API node, like the other per-client limits.
 */
export function uploadsInFlight(options: { readonly limit: number; readonly key: (req: Request) => string }): RequestHandler {
  const inFlight = new Map<string, number>();
  return (req, res, next) => {
    const client = options.key(req);
    const count = inFlight.get(client) ?? 0;
    if (count >= options.limit) {
      throw new ServiceError('ERR_RATE_LIMITED', `at most ${options.limit} uploads from one client at a time`, { retryAfterSeconds: 1 });
    }
    inFlight.set(client, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (inFlight.get(client) ?? 1) - 1;
      if (left > 0) inFlight.set(client, left);
      else inFlight.delete(client);
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}

/** Whether the client went away before its whole request arrived. */
function abortedByClient(req: Request): boolean {
  return !req.complete && (req.destroyed || req.socket.destroyed);
}

/**
 * Reads the one PDF of a multipart upload into memory. Its own refusals get
 * stable codes: too large → 413 ERR_REQUEST_TOO_LARGE; parts other than
 * `file` → 400 ERR_REQUEST_INVALID; a body that cannot be read as multipart
 * (no boundary, truncated, garbage) → 400 ERR_UPLOAD_MALFORMED. An upload the
 * client abandons mid-body is one info line and no answer: nobody is left to
 * read one.
 */
export function pdfUpload(logger: Logger): RequestHandler {
  const read = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 2 } }).single('file');
  return (req, res, next) => {
    read(req, res, (error: unknown) => {
      if (error === undefined || error === null) {
        next();
      } else if (abortedByClient(req)) {
        logger.info('upload abandoned by the client before its body arrived', { requestId: res.locals.requestId, method: req.method, url: req.originalUrl });
      } else if (error instanceof multer.MulterError) {
        next(
          error.code === 'LIMIT_FILE_SIZE'
            ? new RequestError('ERR_REQUEST_TOO_LARGE', 'the file is larger than 10 MiB')
            : new RequestError('ERR_REQUEST_INVALID', `upload refused: ${error.message}`, { field: error.field ?? 'file' }),
        );
      } else {
        // Only the multipart parser ran: whatever it threw is about the bytes the client sent.
        next(new RequestError('ERR_UPLOAD_MALFORMED', 'the body cannot be read as multipart/form-data: check the boundary and that the body is complete'));
      }
    });
  };
}
