import { randomBytes } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_DEPARTMENT } from '../../modules/departments/index.js';
import { ConfigError } from '../../shared/errors.js';
import { createRootCaFiles, hasPlatformCredential, hasRootCa, issueDepartmentCredential, issuePlatformCredential, pkiPaths } from './pki-directory.js';
import { loadTrustDirectory } from './x509/index.js';

export const DEVELOPMENT_ROOT_NAME = 'License Vault Development Root CA (开发测试专用，不得用于生产)';
/** The part of the development root's name no escaping of a subject changes. */
const DEVELOPMENT_ROOT_SUBJECT_MARK = 'License Vault Development Root CA';

/**
 * On the embedded default with no PKI yet: a root CA and the demo
 * department's signing key, so a fresh clone can issue at once; and the
 * platform's annotated-copy key (加注件, P-256: a copy is signed per
 * request, and ECDSA signs in a tenth of RSA's time), added to a development
 * PKI made before there was one. The P12
 * password is VAULT_P12_PASSWORD when set, else a random one kept in
 * `dev-pki-password` (mode 0600) beside the keys. For development only.
 */
export async function ensureDevelopmentPki(
  certsDir: string,
  options: { readonly now: Date; readonly password: string | undefined },
): Promise<{ created: boolean; password: string }> {
  const passwordFile = join(certsDir, 'dev-pki-password');
  if (await hasRootCa(certsDir)) {
    const stored = options.password === undefined ? await readFile(passwordFile, 'utf8').catch(() => null) : null;
    if (options.password === undefined && stored === null)
      throw new ConfigError('ERR_CONFIG_INVALID', `VAULT_P12_PASSWORD: required, the key stores in ${certsDir} were not made by the development set-up`, {
        variable: 'VAULT_P12_PASSWORD',
      });
    const password = options.password ?? (stored ?? '').trim();
    if (!(await hasPlatformCredential(certsDir))) await issuePlatformCredential(certsDir, { algorithm: 'EC', password, now: options.now });
    return { created: false, password };
  }
  const password = options.password ?? randomBytes(24).toString('base64url');
  await createRootCaFiles(certsDir, { commonName: DEVELOPMENT_ROOT_NAME, organization: '电子证照库开发环境', algorithm: 'RSA', password, now: options.now });
  await issueDepartmentCredential(certsDir, { department: DEMO_DEPARTMENT, algorithm: 'RSA', password, now: options.now });
  await issuePlatformCredential(certsDir, { algorithm: 'EC', password, now: options.now });
  if (options.password === undefined) await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return { created: true, password };
}

/**
 * Whether `certsDir` holds the development PKI: its generated password file,
 * or a trusted root named as the development root. Read-only.
 */
export async function holdsDevelopmentPki(certsDir: string): Promise<boolean> {
  const passwordFile = await access(join(certsDir, 'dev-pki-password')).then(
    () => true,
    () => false,
  );
  if (passwordFile) return true;
  const roots = await loadTrustDirectory(pkiPaths(certsDir).trustDir);
  return roots.some((root) => root.summary.subject.includes(DEVELOPMENT_ROOT_SUBJECT_MARK));
}
