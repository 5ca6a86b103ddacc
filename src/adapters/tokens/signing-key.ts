import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../../shared/errors.js';
import { readOrCreateSecretFile } from '../keys/secret-file.js';

/** The access-token signing key: ES256 (ECDSA P-256), with its RFC 7638 thumbprint as `kid`. */
export interface TokenSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/** `{certsDir}/jwt/signing-key.pem`: PKCS#8 PEM, mode 0600. */
export function tokenSigningKeyFile(certsDir: string): string {
  return join(certsDir, 'jwt', 'signing-key.pem');
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC public key. */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Wraps a P-256 private key; anything else is refused. */
export function tokenSigningKey(privateKey: KeyObject): TokenSigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError('ERR_CONFIG_INVALID', 'VAULT_CERTS_DIR: the access-token signing key must be an EC P-256 private key', { variable: 'VAULT_CERTS_DIR' });
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: jwkThumbprint(publicKey) };
}

/** A new in-memory key (tests, or a node that must not persist one). */
export function generateTokenSigningKey(): TokenSigningKey {
  return tokenSigningKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
}

/**
 * Loads the signing key from the certs directory, creating it (mode 0600)
 * when missing. `created` tells the caller to log it. Several API nodes must
 * share one key file: a node that makes its own rejects the others' tokens.
 */
export async function loadOrCreateTokenSigningKey(certsDir: string): Promise<TokenSigningKey & { readonly file: string; readonly created: boolean }> {
  const file = tokenSigningKeyFile(certsDir);
  const { text: pem, created } = await readOrCreateSecretFile(file, () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new ConfigError('ERR_CONFIG_INVALID', `VAULT_CERTS_DIR: ${file} is not a readable PEM private key`, { variable: 'VAULT_CERTS_DIR' }, { cause: error });
  }
  return { ...tokenSigningKey(privateKey), file, created };
}
