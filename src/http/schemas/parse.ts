import type { z } from 'zod';
import { ERROR_TITLES, vaultErrorOf, type ErrorCode, type RequestError, type VaultError } from '../../shared/errors.js';

function pathOf(path: readonly PropertyKey[]): string {
  return (
    path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('')
      .replace(/^\./, '') || '(body)'
  );
}

/**
 * The one conversion of a schema failure into a problem: a 400 naming the
 * first bad member and listing up to ten. Messages name members and rules,
 * never the values given (a body may hold a secret or an identity number).
 */
export function requestErrorOf(error: z.ZodError, code: RequestError['code'] = 'ERR_REQUEST_INVALID'): VaultError {
  const issues = error.issues.slice(0, 10).map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
  const first = issues[0];
  return vaultErrorOf(ruleCodeOf(error.issues[0]) ?? code, first ? `${first.path}: ${first.message}` : 'invalid request', { field: first?.path, issues });
}

/** A refinement that checks a domain rule at the edge names the rule's stable code (`params: { code }`), so both places answer alike. */
function ruleCodeOf(issue: z.core.$ZodIssue | undefined): ErrorCode | undefined {
  const code: unknown = issue?.code === 'custom' ? issue.params?.code : undefined;
  return typeof code === 'string' && Object.hasOwn(ERROR_TITLES, code) ? (code as ErrorCode) : undefined;
}

/** Parses request input (body, query or path parameters) with its schema; anything else is a 400 from {@link requestErrorOf}. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code: RequestError['code'] = 'ERR_REQUEST_INVALID'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw requestErrorOf(result.error, code);
}
