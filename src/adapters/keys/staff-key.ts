import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { STAFF_KEY_BYTES } from '../../modules/staff/index.js';
import { ConfigError } from '../../shared/errors.js';
import { readOrCreateSecretFile } from './secret-file.js';

/**
 * The key that seals staff TOTP secrets at rest and their enrolment tickets
 * (modules/staff StaffSeal): `{certsDir}/staff-totp.key`, 32 random bytes
 * (base64url), made on first start with mode 0600. Every API node must share
 * the file; losing it means every person enrols their app again (a secret reset).
 */
export async function loadOrCreateStaffKey(certsDir: string): Promise<{ readonly key: Buffer; readonly file: string; readonly created: boolean }> {
  const file = join(certsDir, 'staff-totp.key');
  const { text, created } = await readOrCreateSecretFile(file, () => `${randomBytes(STAFF_KEY_BYTES).toString('base64url')}\n`);
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length !== STAFF_KEY_BYTES) throw new ConfigError('ERR_CONFIG_INVALID', `${file}: must hold ${STAFF_KEY_BYTES} random bytes, base64url`, { variable: 'VAULT_CERTS_DIR' });
  return { key, file, created };
}
