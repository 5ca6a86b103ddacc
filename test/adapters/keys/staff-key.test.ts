import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateStaffKey } from '../../../src/adapters/keys/staff-key.js';

describe('the staff TOTP key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'staff-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('made at first start (32 bytes, mode 0600), read back the same afterwards', async () => {
    const first = await loadOrCreateStaffKey(dir);
    expect(first).toMatchObject({ created: true, file: join(dir, 'staff-totp.key') });
    expect(first.key).toHaveLength(32);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateStaffKey(dir);
    expect(again.created).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
  });

  test('a damaged key file stops the start with ERR_CONFIG_INVALID naming VAULT_CERTS_DIR', async () => {
    writeFileSync(join(dir, 'staff-totp.key'), 'too-short\n', { mode: 0o600 });
    await expect(loadOrCreateStaffKey(dir)).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID', details: { variable: 'VAULT_CERTS_DIR' } });
  });
});
