import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkiPaths } from '../../src/adapters/pki/pki-directory.js';
import { DEMO_DEPARTMENT } from '../../src/modules/departments/index.js';
import { runVault, type RunningVault } from '../support/vault-process.js';

/** BENCH FIXTURE: the P12 password of the development PKI each bench vault creates for itself. */
export const BENCH_P12_PASSWORD = 'bench-fixture-password';

/**
 * The built vault (`npm start`'s entry) on the embedded store under `dir`, with the per-client limits lifted for load.
 * With BENCH_PROFILE=DIR set, every vault writes a V8 CPU profile of its main thread to DIR when it stops.
 */
export function startBenchVault(dir: string): Promise<RunningVault> {
  const profileDir = process.env.BENCH_PROFILE;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return runVault(dir, { VAULT_P12_PASSWORD: BENCH_P12_PASSWORD, VAULT_LOOKUPS_PER_MINUTE: '1000000', VAULT_VERIFICATIONS_PER_MINUTE: '1000000' }, { built: true, nodeFlags });
}

/** The demo department's key store in a bench vault's certs directory. */
export function departmentP12(dir: string): { bytes: Uint8Array; password: string } {
  return { bytes: readFileSync(pkiPaths(join(dir, 'certs')).departmentFile(DEMO_DEPARTMENT.creditCode)), password: BENCH_P12_PASSWORD };
}

export async function authorized(vault: RunningVault, role: 'issuer' | 'clerk'): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await vault.tokenFor(role)}` };
}

/** A multipart/form-data body with one PDF in the field `file`. */
export function multipartPdf(pdf: Uint8Array): { body: Buffer; contentType: string } {
  const boundary = 'license-vault-bench-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="license.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
