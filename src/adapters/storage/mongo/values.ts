/**
 * Run-time guards for values that reach a MongoDB filter. The ports take
 * strings and numbers; a caller that passes an object (say, a parsed JSON
 * body `{ "$ne": null }`) gets a TypeError here instead of a query operator.
 * Mongoose's `sanitizeFilter` would also neutralise it; this is the second
 * line.
 */
export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  return value;
}

export function requireInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  return value;
}

/**
 * The Date to store for an ISO 8601 instant. Only the canonical form
 * (`Date#toISOString`: UTC, milliseconds) is accepted, because the instant
 * is read back with `toISOString()` and must equal what was stored.
 */
export function instantToDate(value: unknown, name: string): Date {
  const text = requireString(value, name);
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== text) {
    throw new RangeError(`${name} must be an ISO 8601 UTC instant with milliseconds (as Date#toISOString gives), got ${JSON.stringify(text)}`);
  }
  return date;
}

/**
 * A fresh Uint8Array copy of stored bytes. Lean reads give the driver's BSON
 * `Binary`; a Buffer (a Uint8Array) is accepted too.
 */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value !== null && typeof value === 'object' && (value as { _bsontype?: unknown })._bsontype === 'Binary') {
    return new Uint8Array((value as { value(): Uint8Array }).value());
  }
  throw new TypeError(`stored bytes have an unexpected type: ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
