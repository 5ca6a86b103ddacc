import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,64}$/;

/** Takes the caller's X-Request-Id when it is well-formed, otherwise makes one; echoes it back. */
export const requestId: RequestHandler = (req, res, next) => {
  const offered = req.get('x-request-id');
  const id = offered !== undefined && ACCEPTABLE.test(offered) ? offered : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};
