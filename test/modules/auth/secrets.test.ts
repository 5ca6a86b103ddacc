import { generateClientSecret, hashSecret, SCRYPT_PARAMETERS, verifyDummySecret, verifySecret } from '../../../src/modules/auth/index.js';

describe('client secrets', () => {
  test('are 32 random bytes in base64url', () => {
    const a = generateClientSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateClientSecret()).not.toBe(a);
  });

  test('are hashed with scrypt as scrypt$N$r$p$salt$key, salted afresh each time', async () => {
    const secret = generateClientSecret();
    const hash = await hashSecret(secret);
    const [scheme, N, r, p, salt, key] = hash.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', SCRYPT_PARAMETERS.N, SCRYPT_PARAMETERS.r, SCRYPT_PARAMETERS.p]);
    expect(SCRYPT_PARAMETERS.N).toBeGreaterThanOrEqual(16_384);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
    expect(hash).not.toContain(secret);
    expect(await hashSecret(secret)).not.toBe(hash);
  });

  test('verify only the right secret', async () => {
    const secret = generateClientSecret();
    const hash = await hashSecret(secret);
    await expect(verifySecret(secret, hash)).resolves.toBe(true);
    await expect(verifySecret(`${secret}x`, hash)).resolves.toBe(false);
    await expect(verifySecret('', hash)).resolves.toBe(false);
    await expect(verifySecret(secret.toUpperCase(), hash)).resolves.toBe(false);
  });

  test('a stored hash of a known secret (made once by hashSecret) still verifies it, and only it', async () => {
    const stored = 'scrypt$16384$8$1$kV2iMGrvhsEpFyKvCwSc0g$pV7CgPNt7XdHtGRdrqeH3akwpcIwpxLutzrrurEh9ss';
    await expect(verifySecret('known-answer-client-secret', stored)).resolves.toBe(true);
    await expect(verifySecret('known-answer-client-secreT', stored)).resolves.toBe(false);
    // One bit of the stored key flipped (its first character; the last one's low bits are base64 padding).
    await expect(verifySecret('known-answer-client-secret', stored.replace('$pV7C', '$oV7C'))).resolves.toBe(false);
  });

  test('a malformed or absurd stored hash never matches and never throws', async () => {
    const secret = generateClientSecret();
    const [, , , , salt, key] = (await hashSecret(secret)).split('$');
    for (const hash of [
      '',
      'scrypt$x',
      'bcrypt$2b$10$abc',
      `scrypt$16384$8$1$${salt}`,
      `scrypt$1073741824$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`,
      `scrypt$16384$8$1$AAAA$${key}`,
    ]) {
      await expect(verifySecret(secret, hash)).resolves.toBe(false);
    }
  });

  test('the dummy verification (for unknown client ids) always fails, whatever it is given', async () => {
    for (const secret of [generateClientSecret(), '', 'x'.repeat(10_000)]) await expect(verifyDummySecret(secret)).resolves.toBe(false);
  });
});
