import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../../shared/errors.js';
import { readOrCreateSecretFile } from './secret-file.js';

const KEY_BYTES = 32;

/**
 * The key that seals holders' sign-ins under way (modules/holders SignInSeal):
 * `{certsDir}/holder-sign-in.key`, 32 random bytes (base64url), made on first
 * start. Every API node must share the file, as it shares the token key.
 */
export async function loadOrCreateSignInKey(certsDir: string): Promise<{ readonly key: Buffer; readonly file: string; readonly created: boolean }> {
  const file = join(certsDir, 'holder-sign-in.key');
  const { text, created } = await readOrCreateSecretFile(file, () => `${randomBytes(KEY_BYTES).toString('base64url')}\n`);
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length !== KEY_BYTES) throw new ConfigError('ERR_CONFIG_INVALID', `${file}: must hold ${KEY_BYTES} random bytes, base64url`, { variable: 'VAULT_CERTS_DIR' });
  return { key, file, created };
}
