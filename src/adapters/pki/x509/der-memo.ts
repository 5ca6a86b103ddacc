/**
 * Memoizes a pure function of a certificate's DER bytes, keeping the `limit`
 * most recently used results: a verifier sees the same few department and
 * root certificates in every license, and parsing them dominated its cost.
 * Results are keyed by the exact bytes; a failure is not remembered.
 */
export function memoizeByDer<T>(compute: (der: Uint8Array) => T, limit = 256): (der: Uint8Array) => T {
  const cache = new Map<string, T>();
  return (der) => {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const value = compute(der);
    cache.set(key, value);
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    return value;
  };
}
