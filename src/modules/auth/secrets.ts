import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Client secrets: generated as 32 random bytes (base64url), stored only as an
 * scrypt hash encoded `scrypt$N$r$p$salt$key` (salt and key base64url), so
 * the parameters can be raised later without breaking stored hashes.
 */
export const SCRYPT_PARAMETERS = Object.freeze({ N: 16_384, r: 8, p: 1 });
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SECRET_BYTES = 32;

/** Longest secret hashed at all; longer input is refused without hashing. */
export const MAX_SECRET_LENGTH = 200;

function derive(secret: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs 128·N·r·p bytes; leave headroom above Node's 32 MiB default.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A new client secret: 256 random bits, base64url (43 characters). Shown once, never stored. */
export function generateClientSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Hashes a secret with a fresh 16-byte salt. */
export async function hashSecret(secret: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMETERS;
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const ENCODED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{43,128})$/;

/** Parses an encoded hash, refusing parameters outside sane bounds (a damaged record must not cost a gigabyte). */
function parseHash(encoded: string): ParsedHash | null {
  const match = ENCODED.exec(encoded);
  if (!match) return null;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const powerOfTwo = N >= 1024 && N <= 1_048_576 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || r > 32 || p < 1 || p > 16 || 128 * N * r * p > 1024 * 1024 * 1024) return null;
  const salt = Buffer.from(match[4]!, 'base64url');
  const key = Buffer.from(match[5]!, 'base64url');
  if (salt.length < SALT_BYTES || key.length < KEY_BYTES) return null;
  return { N, r, p, salt, key };
}

/** Whether `secret` matches `encoded`; compares in constant time. A malformed hash never matches. */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed || secret.length > MAX_SECRET_LENGTH) {
    await verifyDummySecret(secret);
    return false;
  }
  const key = await derive(secret, parsed.salt, parsed.N, parsed.r, parsed.p);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real verification takes and answers false: used for
 * unknown client ids, so response time does not reveal which ids exist.
 */
export async function verifyDummySecret(secret: string): Promise<false> {
  dummyHash ??= hashSecret(generateClientSecret());
  const parsed = parseHash(await dummyHash);
  if (parsed) {
    const key = await derive(secret.slice(0, MAX_SECRET_LENGTH), parsed.salt, parsed.N, parsed.r, parsed.p);
    timingSafeEqual(key, parsed.key);
  }
  return false;
}
