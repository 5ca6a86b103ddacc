import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { CertificateSummary } from '../../../modules/signing/index.js';
import { SigningError } from '../../../shared/errors.js';
import { certificateToPem, readCertificates } from './pem.js';
import { summarizeCertificate } from './summary.js';

/** A certificate the vault trusts as a chain anchor. */
export interface TrustedRoot {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly summary: CertificateSummary;
}

/** File name extensions read from a trust directory (any letter case). */
export const TRUST_FILE_EXTENSIONS: readonly string[] = Object.freeze(['.pem', '.crt', '.cer']);

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/**
 * Reads the trusted roots in `dir`: every `*.pem`, `*.crt` and `*.cer` file,
 * in file-name order, each PEM (one or more certificates) or DER. Other
 * files and sub-directories are skipped; a certificate met twice (same
 * SHA-256 fingerprint) is kept once, where first met. A missing directory
 * holds no roots.
 * @throws SigningError ERR_TRUST_DIRECTORY_INVALID naming the directory or file that cannot be read as certificates.
 */
export async function loadTrustDirectory(dir: string): Promise<TrustedRoot[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw new SigningError('ERR_TRUST_DIRECTORY_INVALID', `trust directory ${dir} cannot be read`, { dir }, { cause: error });
  }
  const names = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && TRUST_FILE_EXTENSIONS.includes(extname(entry.name).toLowerCase()))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const roots: TrustedRoot[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    let found: { der: Uint8Array; summary: CertificateSummary }[];
    try {
      found = readCertificates(new Uint8Array(await readFile(join(dir, name)))).map((der) => ({ der, summary: summarizeCertificate(der) }));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new SigningError('ERR_TRUST_DIRECTORY_INVALID', `trust file ${name} cannot be read as certificates: ${why}`, { file: name }, { cause: error });
    }
    for (const { der, summary } of found) {
      if (seen.has(summary.fingerprint256)) continue;
      seen.add(summary.fingerprint256);
      roots.push(Object.freeze({ der, pem: certificateToPem(der), summary }));
    }
  }
  return roots;
}
