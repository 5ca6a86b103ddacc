import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FINGERPRINT_KEY_ID, type FingerprintKeyRing } from '../../modules/licenses/index.js';
import { ConfigError } from '../../shared/errors.js';
import { readOrCreateSecretFile } from './secret-file.js';

/** Bytes of a new key: as long as the HMAC-SHA256 block needs to be at full strength. */
const SECRET_BYTES = 32;

/** `{certsDir}/audit/fingerprint-keys.json`: `{ "current": id, "keys": { id: base64 secret } }`, mode 0600. Never in the store or its backups. */
export function fingerprintKeyFile(certsDir: string): string {
  return join(certsDir, 'audit', 'fingerprint-keys.json');
}

interface KeyFileBody {
  readonly current: string;
  readonly keys: Readonly<Record<string, string>>;
}

function invalid(file: string, why: string, cause?: unknown): ConfigError {
  return new ConfigError('ERR_CONFIG_INVALID', `VAULT_CERTS_DIR: ${file} ${why}`, { variable: 'VAULT_CERTS_DIR' }, cause === undefined ? undefined : { cause });
}

function ringOf(file: string, text: string): FingerprintKeyRing {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid(file, 'is not JSON', error);
  }
  const { current, keys } = (body ?? {}) as Partial<KeyFileBody>;
  if (typeof current !== 'string' || typeof keys !== 'object' || keys === null) throw invalid(file, 'needs "current" and "keys"');
  const ring = new Map<string, Uint8Array>();
  for (const [id, secret] of Object.entries(keys)) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'base64') : Buffer.alloc(0);
    if (!FINGERPRINT_KEY_ID.test(id) || bytes.length < SECRET_BYTES)
      throw invalid(file, `key ${JSON.stringify(id)} needs an id of A-Z a-z 0-9 . _ - and a base64 secret of ${SECRET_BYTES} bytes or more`);
    ring.set(id, new Uint8Array(bytes));
  }
  if (!ring.has(current)) throw invalid(file, `names current key ${JSON.stringify(current)}, which it does not hold`);
  return { current, keys: ring };
}

function newKeyId(now: Date): string {
  return `fp-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

function bodyOf(ring: FingerprintKeyRing): string {
  const keys = Object.fromEntries([...ring.keys].map(([id, secret]) => [id, Buffer.from(secret).toString('base64')]));
  return `${JSON.stringify({ current: ring.current, keys } satisfies KeyFileBody, null, 2)}\n`;
}

/** A new one-key ring in memory (tests, or a node that must not persist one). */
export function generateFingerprintKeyRing(now: Date): FingerprintKeyRing {
  const id = newKeyId(now);
  return { current: id, keys: new Map([[id, new Uint8Array(randomBytes(SECRET_BYTES))]]) };
}

/**
 * Loads the audit fingerprint keys from the certs directory, creating a first
 * key (mode 0600) when the file is missing. `created` tells the caller to log
 * it. Every API node must share the file; losing it makes every look-up in
 * the audit log unsearchable by holder.
 */
export async function loadOrCreateFingerprintKeys(certsDir: string, now: Date): Promise<{ readonly ring: FingerprintKeyRing; readonly file: string; readonly created: boolean }> {
  const file = fingerprintKeyFile(certsDir);
  const { text, created } = await readOrCreateSecretFile(file, () => bodyOf(generateFingerprintKeyRing(now)));
  return { ring: ringOf(file, text), file, created };
}

/**
 * Makes a new key current and keeps the older ones, so entries written under
 * them can still be searched; the file is replaced whole (written beside it,
 * then renamed). Nodes pick the new key up at their next start.
 */
export async function rotateFingerprintKey(certsDir: string, now: Date): Promise<{ readonly ring: FingerprintKeyRing; readonly file: string }> {
  const { ring: old, file } = await loadOrCreateFingerprintKeys(certsDir, now);
  const fresh = generateFingerprintKeyRing(now);
  const ring: FingerprintKeyRing = { current: fresh.current, keys: new Map([...old.keys, ...fresh.keys]) };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bodyOf(ring), { mode: 0o600, flag: 'wx' });
  await rename(temporary, file);
  return { ring, file };
}
