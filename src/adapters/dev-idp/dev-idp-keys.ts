import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateSecretFile } from '../keys/secret-file.js';

/** What the development provider signs and seals with, kept under `{certsDir}/dev-idp/` (0600, never committed). */
export interface DevIdpKeys {
  /** RS256 private key (JWK) that signs ID tokens; its public half is at /dev-idp/jwks. */
  readonly signingKey: Record<string, unknown>;
  /** Signs the provider's own cookies. */
  readonly cookieKey: string;
  /** The vault's client secret at the provider. */
  readonly clientSecret: string;
  /** True when any of them was made just now. */
  readonly created: boolean;
}

/** Reads the development provider's keys, making each on first use; every node sharing the certificates directory reads the same. */
export async function loadOrCreateDevIdpKeys(certsDir: string): Promise<DevIdpKeys> {
  const dir = join(certsDir, 'dev-idp');
  const signing = await readOrCreateSecretFile(join(dir, 'signing-key.jwk.json'), () => {
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    return `${JSON.stringify({ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' })}\n`;
  });
  const cookie = await readOrCreateSecretFile(join(dir, 'cookie-key'), () => randomBytes(32).toString('base64url'));
  const client = await readOrCreateSecretFile(join(dir, 'client-secret'), () => randomBytes(32).toString('base64url'));
  return {
    signingKey: JSON.parse(signing.text) as Record<string, unknown>,
    cookieKey: cookie.text.trim(),
    clientSecret: client.text.trim(),
    created: signing.created || cookie.created || client.created,
  };
}
