import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtTokenService } from '../../../src/adapters/tokens/jwt-tokens.js';
import { loadOrCreateTokenSigningKey, tokenSigningKeyFile } from '../../../src/adapters/tokens/signing-key.js';
import { fixedClock } from '../../../src/shared/clock.js';

describe('access-token signing key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vault-jwt-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('is created once as a P-256 PKCS#8 PEM with mode 0600 under jwt/, then reused', async () => {
    const first = await loadOrCreateTokenSigningKey(dir);
    expect(first.file).toBe(join(dir, 'jwt', 'signing-key.pem'));
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(first.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(first.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = await loadOrCreateTokenSigningKey(dir);
    expect(second.created).toBe(false);
    expect(second.keyId).toBe(first.keyId);

    // A token from one process verifies in the next.
    const clock = fixedClock('2026-11-21T08:00:00Z');
    const options = { issuer: 'https://vault.example', ttlSeconds: 900, clock };
    const { accessToken } = await new JwtTokenService({ key: first, ...options }).issue({ subject: 'clerk-a', role: 'clerk', department: null, tokenVersion: 1 });
    await expect(new JwtTokenService({ key: second, ...options }).verify(accessToken)).resolves.toMatchObject({
      subject: 'clerk-a',
      role: 'clerk',
      department: null,
      tokenVersion: 1,
    });
  });

  test('a key of another type, or an unreadable file, stops start-up with ERR_CONFIG_INVALID', async () => {
    mkdirSync(join(dir, 'jwt'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(tokenSigningKeyFile(dir), rsa, { mode: 0o600 });
    await expect(loadOrCreateTokenSigningKey(dir)).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
    writeFileSync(tokenSigningKeyFile(dir), 'not a key');
    await expect(loadOrCreateTokenSigningKey(dir)).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
  });
});
