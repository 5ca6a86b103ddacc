import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SigningError } from '../../../shared/errors.js';
import { pkiPaths } from '../pki-directory.js';
import { readCertificates } from '../x509/index.js';

/**
 * The public certificate chain of a department whose key is in the token:
 * departments/{signingKey}.pem, the department's certificate first, then
 * each issuer, each certificate signed by the next.
 * @throws SigningError ERR_SIGNER_KEY_MISSING when there is no such file,
 *   ERR_SIGNER_KEY_STORE_INVALID when it cannot be read or is out of order.
 */
export async function readDepartmentChain(certsDir: string, signingKey: string): Promise<Uint8Array[]> {
  const file = pkiPaths(certsDir).departmentChainFile(signingKey);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SigningError(
        'ERR_SIGNER_KEY_MISSING',
        `no certificate chain ${file} for the department's token key: run \`license-vault pki department --pkcs11\``,
        { file },
        { cause: error },
      );
    }
    throw new SigningError('ERR_SIGNER_KEY_STORE_INVALID', `certificate chain ${file} cannot be read (${code ?? String(error)})`, { file }, { cause: error });
  }
  let chain: Uint8Array[];
  try {
    chain = readCertificates(bytes);
  } catch (error) {
    throw new SigningError('ERR_SIGNER_KEY_STORE_INVALID', `certificate chain ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });
  }
  const certificates = chain.map((der) => new X509Certificate(der));
  certificates.slice(0, -1).forEach((certificate, index) => {
    const issuer = certificates[index + 1]!;
    if (!certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey)) {
      throw new SigningError('ERR_SIGNER_KEY_STORE_INVALID', `certificate chain ${file}: certificate ${index + 1} is not issued by certificate ${index + 2}`, { file });
    }
  });
  return chain;
}
