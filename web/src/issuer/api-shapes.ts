import type { Schemas } from '../api/client';

/**
 * A response body as its schema component declares it. openapi-fetch's
 * `Readable<>` maps readonly arrays (schema.d.ts is generated `immutable`) to
 * plain objects, losing `map` and `length`; the body on the wire is the
 * component, so it is read as one.
 */
export function asComponent<K extends keyof Schemas>(_name: K, data: unknown): Schemas[K] {
  return data as Schemas[K];
}

export type License = Schemas['License'];
export type BatchIssueResult = Schemas['BatchIssueResult'];
