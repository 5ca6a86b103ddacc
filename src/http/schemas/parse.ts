import type { z } from 'zod';
import { RequestError } from '../../shared/errors.js';

function pathOf(path: readonly PropertyKey[]): string {
  return (
    path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('')
      .replace(/^\./, '') || '(body)'
  );
}

/** Parses request input with its schema; anything else is a 400 naming the first bad member. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code: RequestError['code'] = 'ERR_REQUEST_INVALID'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
  const first = issues[0];
  throw new RequestError(code, first ? `${first.path}: ${first.message}` : 'invalid request', { field: first?.path, issues });
}
