import { z } from 'zod';

/**
 * The schemas the OpenAPI document names (`#/components/schemas/{id}`):
 * every response body, so that clients get one type per shape.
 */
export const apiComponents = z.registry<{ id: string }>();

/** Registers `schema` as the component `id` and returns it. */
export function named<S extends z.ZodType>(id: string, schema: S): S {
  apiComponents.add(schema, { id });
  return schema;
}

/**
 * Free text of at most `max` characters, trimmed, counted as the domain
 * counts them (code points, as JSON Schema's maxLength does), so that the edge
 * and the use case refuse the same inputs.
 */
export function boundedText(max: number) {
  return z
    .string()
    .trim()
    .refine((text) => [...text].length <= max, `must have at most ${max} characters`)
    .meta({ maxLength: max });
}

/** A plain string of bounded length: operators (`{"$ne": null}`), arrays and numbers are refused. */
export const shortString = (max: number) => z.string().max(max);

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
export const isoInstant = z.string().describe('ISO 8601 instant, UTC');

/**
 * Any value, documented as `schema`: for members a route parses itself, one
 * by one (a batch whose bad items fail alone).
 */
export function parsedLater(schema: z.ZodType) {
  const { $schema: _dialect, ...documented } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return z.unknown().meta(documented);
}

type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/**
 * A value of the shape `S` documents, read-only arrays and members allowed:
 * `res.json(value satisfies Shape<typeof License>)` makes a use case's
 * answer that drifts from its documented schema a compile error.
 */
export type Shape<S extends z.ZodType> = DeepReadonly<z.output<S>>;
