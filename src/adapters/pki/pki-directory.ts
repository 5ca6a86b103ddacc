import { X509Certificate } from 'node:crypto';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificateSummary } from '../../modules/signing/index.js';
import { SigningError } from '../../shared/errors.js';
import { exportPkcs12, openKeyStore } from './p12/index.js';
import { certificateToPem, createRootCa, issueDepartmentCertificate, loadTrustDirectory, summarizeCertificate, type KeyAlgorithm, type TrustedRoot } from './x509/index.js';

/**
 * Where the vault keeps its key material under VAULT_CERTS_DIR:
 * `trust/` root certificates (public, several may be trusted at once),
 * `ca/root-ca.p12` this installation's root CA, and
 * `departments/{creditCode}.p12` each department's signing key and chain.
 */
export function pkiPaths(certsDir: string) {
  return {
    trustDir: join(certsDir, 'trust'),
    rootCaFile: join(certsDir, 'ca', 'root-ca.p12'),
    departmentsDir: join(certsDir, 'departments'),
    departmentFile: (creditCode: string) => join(certsDir, 'departments', `${creditCode}.p12`),
  };
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes a secret file readable by its owner only; refuses to replace one unless `force`. */
async function writeSecret(path: string, bytes: Uint8Array | string, force: boolean): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, bytes, { mode: 0o600, flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SigningError('ERR_PKI_EXISTS', `${path} already exists`, { file: path });
    throw error;
  }
}

export interface RootCaRequest {
  readonly commonName: string;
  readonly organization: string;
  readonly algorithm: KeyAlgorithm;
  readonly password: string;
  readonly now: Date;
  readonly years?: number;
}

/** Creates the installation's root CA: its key store under ca/ and its certificate under trust/. */
export async function createRootCaFiles(certsDir: string, request: RootCaRequest): Promise<CertificateSummary> {
  const paths = pkiPaths(certsDir);
  const validFrom = new Date(request.now.getTime() - DAY_MS);
  const root = createRootCa({
    commonName: request.commonName,
    organization: request.organization,
    algorithm: request.algorithm,
    validFrom,
    validTo: new Date(validFrom.getTime() + (request.years ?? 20) * YEAR_MS),
  });
  const summary = summarizeCertificate(root.certificateDer);
  await writeSecret(paths.rootCaFile, exportPkcs12({ privateKey: root.privateKey, certificateChain: [root.certificateDer], password: request.password, friendlyName: request.commonName }), false);
  await mkdir(paths.trustDir, { recursive: true });
  await writeFile(join(paths.trustDir, `root-${summary.fingerprint256.slice(0, 16)}.pem`), certificateToPem(root.certificateDer));
  return summary;
}

export interface DepartmentCredentialRequest {
  readonly department: { readonly name: string; readonly creditCode: string };
  readonly algorithm: KeyAlgorithm;
  /** Opens the root CA key store and protects the new one. */
  readonly password: string;
  readonly now: Date;
  readonly years?: number;
  /** Replace an existing key store (key rotation). */
  readonly force?: boolean;
}

/** Certifies a new signing key for a department with the root CA and stores it as departments/{creditCode}.p12. */
export async function issueDepartmentCredential(certsDir: string, request: DepartmentCredentialRequest): Promise<{ file: string; summary: CertificateSummary }> {
  const paths = pkiPaths(certsDir);
  let caP12: Uint8Array;
  try {
    caP12 = await readFile(paths.rootCaFile);
  } catch {
    throw new SigningError('ERR_PKI_CA_MISSING', `no root CA key store at ${paths.rootCaFile}: run \`license-vault pki init\` first`);
  }
  const ca = openKeyStore(caP12, request.password);
  const caCertificate = ca.certificateChain[0];
  if (!caCertificate) throw new SigningError('ERR_PKI_CA_MISSING', 'the root CA key store holds no certificate');
  const validFrom = new Date(request.now.getTime() - DAY_MS);
  const caValidTo = new Date(new X509Certificate(caCertificate).validTo);
  const validTo = new Date(Math.min(validFrom.getTime() + (request.years ?? 3) * YEAR_MS, caValidTo.getTime()));
  const issued = issueDepartmentCertificate({
    issuer: { certificateDer: caCertificate, privateKey: ca.privateKey },
    department: request.department,
    algorithm: request.algorithm,
    validFrom,
    validTo,
  });
  const file = paths.departmentFile(request.department.creditCode);
  const p12 = exportPkcs12({ privateKey: issued.privateKey, certificateChain: [issued.certificateDer, ...ca.certificateChain], password: request.password, friendlyName: request.department.name });
  await writeSecret(file, p12, request.force ?? false);
  return { file, summary: summarizeCertificate(issued.certificateDer) };
}

export async function hasRootCa(certsDir: string): Promise<boolean> {
  return exists(pkiPaths(certsDir).rootCaFile);
}

/** Trusted roots and the departments that have a key store, for `license-vault pki list`. */
export async function listPki(certsDir: string): Promise<{ roots: TrustedRoot[]; departments: string[] }> {
  const paths = pkiPaths(certsDir);
  const roots = await loadTrustDirectory(paths.trustDir);
  const entries = await readdir(paths.departmentsDir).catch(() => [] as string[]);
  return { roots, departments: entries.filter((name) => name.endsWith('.p12')).map((name) => name.slice(0, -4)).sort() };
}
