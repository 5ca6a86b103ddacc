import type { CertificateSummary } from '../../../modules/signing/index.js';
import { assertNoDepartmentChain, openRootCa, writeDepartmentChain, type DepartmentCredentialRequest } from '../pki-directory.js';
import { destroyKeyPair, generateKeyPairInToken } from './key-pair.js';
import type { Pkcs11Library } from './library.js';
import { Pkcs11Token } from './token.js';

/**
 * A department credential made in a token: `password` opens the root CA key
 * store (ca/root-ca.p12, which stays a PKCS#12); `force` replaces an existing
 * chain file (key rotation), the old key staying on the token until an
 * operator destroys it.
 */
export interface TokenDepartmentKeyRequest extends DepartmentCredentialRequest {
  readonly library: Pkcs11Library;
  readonly tokenLabel: string;
  readonly pin: string;
}

export interface TokenDepartmentKey {
  /** The chain file written, departments/{keyName}.pem. */
  readonly file: string;
  readonly summary: CertificateSummary;
  /** CKA_ID of the key pair on the token, lower-case hex. */
  readonly keyId: string;
}

/**
 * `license-vault pki department --pkcs11`: makes the department's key pair
 * inside the token (sensitive, never extractable), certifies its public key
 * with the installation's root CA, and writes the public chain beside the
 * key stores. The root CA is opened, and an existing chain refused, before
 * the token is touched; if the chain cannot be written the new key pair is
 * destroyed again.
 */
export async function issueDepartmentKeyInToken(certsDir: string, request: TokenDepartmentKeyRequest): Promise<TokenDepartmentKey> {
  const ca = await openRootCa(certsDir, request.password);
  const keyName = request.keyName ?? request.department.creditCode;
  if (!request.force) await assertNoDepartmentChain(certsDir, keyName);
  const connection = await request.library.connection();
  const token = await Pkcs11Token.open(connection, { label: request.tokenLabel, pin: request.pin, readWrite: true, sessions: 1 });
  try {
    const pair = await generateKeyPairInToken(token, request.algorithm, keyName);
    try {
      const written = await writeDepartmentChain(certsDir, ca, {
        department: request.department,
        keyName,
        publicKey: pair.publicKey,
        now: request.now,
        force: request.force ?? false,
        ...(request.years ? { years: request.years } : {}),
      });
      return { file: written.file, summary: written.summary, keyId: Buffer.from(pair.keyId).toString('hex') };
    } catch (error) {
      await destroyKeyPair(token, pair).catch(() => undefined);
      throw error;
    }
  } finally {
    token.close();
  }
}
