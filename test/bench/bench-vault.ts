import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkiPaths } from '../../src/adapters/pki/pki-directory.js';
import { DEMO_DEPARTMENT } from '../../src/modules/departments/index.js';
import { CLIENT_LIMITS_LIFTED, runVault, type RunningVault } from '../support/vault-process.js';

/** BENCH FIXTURE: the P12 password of the development PKI each bench vault creates for itself. */
export const BENCH_P12_PASSWORD = 'bench-fixture-password';

export interface BenchVaultOptions {
  /** Variables set over the bench defaults (to put a limit back, for instance). */
  readonly env?: Record<string, string>;
  /** Keep the vault's output for the test PII sweep (the default); a long run sweeps it itself instead. */
  readonly recordLogs?: boolean;
}

/**
 * The built vault (`npm start`'s entry) on the embedded store under `dir`, with the per-client limits lifted for load.
 * With BENCH_PROFILE=DIR set, every vault writes a V8 CPU profile of its main thread to DIR when it stops.
 */
export function startBenchVault(dir: string, options: BenchVaultOptions = {}): Promise<RunningVault> {
  const profileDir = process.env.BENCH_PROFILE;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const env = {
    VAULT_P12_PASSWORD: BENCH_P12_PASSWORD,
    ...CLIENT_LIMITS_LIFTED,
    ...options.env,
  };
  return runVault(dir, env, { built: true, nodeFlags, recordLogs: options.recordLogs });
}

/** The demo department's key store in a bench vault's certs directory. */
export function departmentP12(dir: string): { bytes: Uint8Array; password: string } {
  return { bytes: readFileSync(pkiPaths(join(dir, 'certs')).departmentFile(DEMO_DEPARTMENT.creditCode)), password: BENCH_P12_PASSWORD };
}

export async function authorized(vault: RunningVault, role: 'issuer' | 'clerk'): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await vault.tokenFor(role)}` };
}

/** An issuance request as the catalogue gives it for each license type. */
export interface ExampleIssueRequest {
  readonly licenseType: string;
  readonly holder: { readonly type: string; readonly id: string; readonly name: string };
  readonly fields: Record<string, unknown>;
}

/** The catalogue's example issuance request for `licenseType`: valid as it stands. */
export async function exampleIssueRequest(vault: RunningVault, licenseType: string): Promise<ExampleIssueRequest> {
  const catalogue = (await (await fetch(`${vault.base}/api/v1/license-types`)).json()) as { items: { code: string; example: ExampleIssueRequest }[] };
  const example = catalogue.items.find((item) => item.code === licenseType)?.example;
  if (!example) throw new Error(`no license type ${licenseType} in the catalogue`);
  return example;
}

/** Issues the example license of `licenseType` and downloads its PDF. */
export async function issueLicensePdf(vault: RunningVault, licenseType: string): Promise<Uint8Array> {
  const issuer = await authorized(vault, 'issuer');
  const response = await fetch(`${vault.base}/api/v1/licenses`, {
    method: 'POST',
    headers: { ...issuer, 'content-type': 'application/json' },
    body: JSON.stringify(await exampleIssueRequest(vault, licenseType)),
  });
  if (response.status !== 201) throw new Error(`issuing the example ${licenseType} answered ${response.status}`);
  const issued = (await response.json()) as { identifier: string };
  return new Uint8Array(
    await (
      await fetch(`${vault.base}/api/v1/licenses/${encodeURIComponent(issued.identifier)}/pdf?purpose=${encodeURIComponent('性能测试取件')}`, { headers: issuer })
    ).arrayBuffer(),
  );
}

/**
 * A license the vault under `dir` did not issue but must verify cryptographically: signed by the same
 * department under the same root, by another vault started on a copy of `dir`'s certificates. Pick a
 * type that vault has not issued, so that the identifier inside is unknown to it.
 */
export async function foreignLicensePdf(dir: string, licenseType: string): Promise<Uint8Array> {
  const otherDir = join(dir, 'other-vault');
  mkdirSync(otherDir, { recursive: true });
  cpSync(join(dir, 'certs'), join(otherDir, 'certs'), { recursive: true });
  const other = await startBenchVault(otherDir);
  return issueLicensePdf(other, licenseType).finally(() => other.stop());
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
