import { X509Certificate, type KeyObject } from 'node:crypto';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SIGNING_KEY_NAME } from '../../modules/departments/index.js';
import type { CertificateSummary } from '../../modules/signing/index.js';
import { SigningError } from '../../shared/errors.js';
import { exportPkcs12, openKeyStore } from './p12/index.js';
import {
  certificateToPem,
  certifyDepartmentKey,
  certifyPlatformKey,
  createRootCa,
  generatePrivateKey,
  issueDepartmentCertificate,
  loadTrustDirectory,
  summarizeCertificate,
  type CertificateWithKey,
  type KeyAlgorithm,
  type TrustedRoot,
} from './x509/index.js';

/** `name`, if it can name a file in departments/; else ERR_SIGNER_KEY_MISSING, so that no other file is ever opened. */
function keyName(name: string): string {
  if (!SIGNING_KEY_NAME.test(name)) throw new SigningError('ERR_SIGNER_KEY_MISSING', `"${name}" is not a signing key name (letters, digits, . _ -)`);
  return name;
}

/**
 * Where the vault keeps its key material under VAULT_CERTS_DIR:
 * `trust/` root certificates (public, several may be trusted at once),
 * `ca/root-ca.p12` this installation's root CA,
 * `departments/{signingKey}.p12` each department's signing key and chain, and
 * `departments/{signingKey}.pem` the public certificate chain of a department
 * whose key lives in a PKCS#11 token instead; `signingKey` is the name a
 * department record gives its credential (its credit code unless chosen
 * otherwise). `seals/` holds the departments' seal images (`sealImage`).
 */
export function pkiPaths(certsDir: string) {
  return {
    trustDir: join(certsDir, 'trust'),
    rootCaFile: join(certsDir, 'ca', 'root-ca.p12'),
    departmentsDir: join(certsDir, 'departments'),
    departmentFile: (signingKey: string) => join(certsDir, 'departments', `${keyName(signingKey)}.p12`),
    departmentChainFile: (signingKey: string) => join(certsDir, 'departments', `${keyName(signingKey)}.pem`),
    sealsDir: join(certsDir, 'seals'),
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
  await writeSecret(
    paths.rootCaFile,
    exportPkcs12({ privateKey: root.privateKey, certificateChain: [root.certificateDer], password: request.password, friendlyName: request.commonName }),
    false,
  );
  await mkdir(paths.trustDir, { recursive: true });
  await writeFile(join(paths.trustDir, `root-${summary.fingerprint256.slice(0, 16)}.pem`), certificateToPem(root.certificateDer));
  return summary;
}

export interface DepartmentCredentialRequest {
  readonly department: { readonly name: string; readonly creditCode: string };
  /** The credential's file name in departments/ (what the department's `signingKey` names); default the credit code. */
  readonly keyName?: string;
  readonly algorithm: KeyAlgorithm;
  /** Opens the root CA key store and protects the new one. */
  readonly password: string;
  readonly now: Date;
  readonly years?: number;
  /** Replace an existing key store (key rotation). */
  readonly force?: boolean;
}

/** The installation's root CA, opened to certify departments. */
export interface RootCa {
  readonly issuer: CertificateWithKey;
  /** The CA's own chain, its certificate first: what a department certificate is followed by. */
  readonly certificateChain: readonly Uint8Array[];
}

/**
 * Opens ca/root-ca.p12.
 * @throws SigningError ERR_PKI_CA_MISSING, or the key store's errors (ERR_SIGNER_PASSWORD, …).
 */
export async function openRootCa(certsDir: string, password: string): Promise<RootCa> {
  const paths = pkiPaths(certsDir);
  let caP12: Uint8Array;
  try {
    caP12 = await readFile(paths.rootCaFile);
  } catch {
    throw new SigningError('ERR_PKI_CA_MISSING', `no root CA key store at ${paths.rootCaFile}: run \`license-vault pki init\` first`);
  }
  const ca = openKeyStore(caP12, password);
  const caCertificate = ca.certificateChain[0];
  if (!caCertificate) throw new SigningError('ERR_PKI_CA_MISSING', 'the root CA key store holds no certificate');
  return { issuer: { certificateDer: caCertificate, privateKey: ca.privateKey }, certificateChain: ca.certificateChain };
}

/** From a day before `now`, for `years` (default 3), but never past the CA's own end. */
function departmentValidity(ca: RootCa, now: Date, years = 3): { validFrom: Date; validTo: Date } {
  const validFrom = new Date(now.getTime() - DAY_MS);
  const caValidTo = new Date(new X509Certificate(ca.issuer.certificateDer).validTo);
  return { validFrom, validTo: new Date(Math.min(validFrom.getTime() + years * YEAR_MS, caValidTo.getTime())) };
}

/** Certifies a new signing key for a department with the root CA and stores it as departments/{keyName}.p12. */
export async function issueDepartmentCredential(certsDir: string, request: DepartmentCredentialRequest): Promise<{ file: string; summary: CertificateSummary }> {
  const ca = await openRootCa(certsDir, request.password);
  const issued = issueDepartmentCertificate({
    issuer: ca.issuer,
    department: request.department,
    algorithm: request.algorithm,
    ...departmentValidity(ca, request.now, request.years),
  });
  const file = pkiPaths(certsDir).departmentFile(request.keyName ?? request.department.creditCode);
  const p12 = exportPkcs12({
    privateKey: issued.privateKey,
    certificateChain: [issued.certificateDer, ...ca.certificateChain],
    password: request.password,
    friendlyName: request.department.name,
  });
  await writeSecret(file, p12, request.force ?? false);
  return { file, summary: summarizeCertificate(issued.certificateDer) };
}

export interface DepartmentChainRequest {
  readonly department: { readonly name: string; readonly creditCode: string };
  /** The chain's file name in departments/ (what the department's `signingKey` names); default the credit code. */
  readonly keyName?: string;
  /** The department's key, made and kept elsewhere (a PKCS#11 token): only its public half is certified. */
  readonly publicKey: KeyObject;
  readonly now: Date;
  readonly years?: number;
  /** Replace an existing chain file (key rotation). */
  readonly force?: boolean;
}

/** Refuses with ERR_PKI_EXISTS when the department already has a chain file, before a key is made for it. */
export async function assertNoDepartmentChain(certsDir: string, keyName: string): Promise<void> {
  const file = pkiPaths(certsDir).departmentChainFile(keyName);
  if (await exists(file)) throw new SigningError('ERR_PKI_EXISTS', `${file} already exists`, { file });
}

/**
 * Certifies a department's public key with the root CA and writes the chain
 * (department certificate, then the CA's) as departments/{keyName}.pem:
 * public material, readable by all (0644).
 */
export async function writeDepartmentChain(
  certsDir: string,
  ca: RootCa,
  request: DepartmentChainRequest,
): Promise<{ file: string; summary: CertificateSummary; certificateChain: readonly Uint8Array[] }> {
  const certificateDer = certifyDepartmentKey({
    issuer: ca.issuer,
    department: request.department,
    publicKey: request.publicKey,
    ...departmentValidity(ca, request.now, request.years),
  });
  const certificateChain = [certificateDer, ...ca.certificateChain];
  const file = pkiPaths(certsDir).departmentChainFile(request.keyName ?? request.department.creditCode);
  await mkdir(pkiPaths(certsDir).departmentsDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, certificateChain.map(certificateToPem).join(''), { mode: 0o644, flag: request.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SigningError('ERR_PKI_EXISTS', `${file} already exists`, { file });
    throw error;
  }
  return { file, summary: summarizeCertificate(certificateDer), certificateChain };
}

/**
 * The credential name of the vault platform's annotated-copy (加注件) key,
 * kept beside the departments' (`departments/vault-platform.p12`, or a
 * PKCS#11 key of this label with `departments/vault-platform.pem`) so that
 * both signer providers load it as they load a department's. No credit code
 * can take this name (it has lower-case letters and a hyphen).
 */
export const PLATFORM_KEY_NAME = 'vault-platform';

export interface PlatformCredentialRequest {
  readonly algorithm: KeyAlgorithm;
  /** Opens the root CA key store and protects the new one. */
  readonly password: string;
  readonly now: Date;
  readonly years?: number;
  readonly force?: boolean;
}

/** Whether the platform's annotated-copy credential exists, as a key store or a token's chain file. */
export async function hasPlatformCredential(certsDir: string): Promise<boolean> {
  const paths = pkiPaths(certsDir);
  return (await exists(paths.departmentFile(PLATFORM_KEY_NAME))) || exists(paths.departmentChainFile(PLATFORM_KEY_NAME));
}

/** Certifies a new annotated-copy key for the vault platform with the root CA and stores it as departments/vault-platform.p12. */
export async function issuePlatformCredential(certsDir: string, request: PlatformCredentialRequest): Promise<{ file: string; summary: CertificateSummary }> {
  const ca = await openRootCa(certsDir, request.password);
  const privateKey = generatePrivateKey(request.algorithm);
  const certificateDer = certifyPlatformKey({ issuer: ca.issuer, publicKey: privateKey, ...departmentValidity(ca, request.now, request.years) });
  const file = pkiPaths(certsDir).departmentFile(PLATFORM_KEY_NAME);
  const p12 = exportPkcs12({ privateKey, certificateChain: [certificateDer, ...ca.certificateChain], password: request.password, friendlyName: '电子证照库平台 加注件签章' });
  await writeSecret(file, p12, request.force ?? false);
  return { file, summary: summarizeCertificate(certificateDer) };
}

export async function hasRootCa(certsDir: string): Promise<boolean> {
  return exists(pkiPaths(certsDir).rootCaFile);
}

/** Trusted roots, the departments that have a key store, and those whose key is in a PKCS#11 token (a chain file), for `license-vault pki list`. */
export async function listPki(certsDir: string): Promise<{ roots: TrustedRoot[]; departments: string[]; tokenDepartments: string[] }> {
  const paths = pkiPaths(certsDir);
  const roots = await loadTrustDirectory(paths.trustDir);
  const entries = await readdir(paths.departmentsDir).catch(() => [] as string[]);
  const withExtension = (extension: string) =>
    entries
      .filter((name) => name.endsWith(extension))
      .map((name) => name.slice(0, -extension.length))
      .sort();
  return { roots, departments: withExtension('.p12'), tokenDepartments: withExtension('.pem') };
}
