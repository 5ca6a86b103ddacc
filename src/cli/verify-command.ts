import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pkiPaths } from '../adapters/pki/pki-directory.js';
import { StrictPdfSignatureVerifier } from '../adapters/pki/verifier/strict-pdf-verifier.js';
import { loadTrustDirectory } from '../adapters/pki/x509/index.js';
import { loadConfig } from '../config/index.js';
import { identifierInFile } from '../modules/verification/index.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const VERIFY_USAGE = `license-vault verify FILE.pdf [--trust DIR] [--json]
  offline: no server, no database; exit 0 authentic signature, 1 not authentic, 2 usage or I/O error`;

/** `license-vault verify`: the strict signature check against trust roots in a directory, nothing else. */
export async function runVerifyCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { trust: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('verify needs exactly one PDF file');
  const trustDir = values.trust ?? pkiPaths(loadConfig(io.env).certsDir).trustDir;
  let pdf: Buffer;
  try {
    pdf = await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const roots = await loadTrustDirectory(trustDir);
  if (roots.length === 0) throw new UsageError(`no trusted root certificates in ${trustDir}`);
  const verdict = await new StrictPdfSignatureVerifier({ trustedRoots: () => roots, clock: { now: io.now } }).verify(pdf);
  const identifier = verdict.valid ? identifierInFile(pdf) : null;
  if (values.json) {
    io.out(`${JSON.stringify({ valid: verdict.valid, identifier, signer: verdict.signer, signedAt: verdict.signedAt, checks: verdict.checks }, null, 2)}\n`);
  } else {
    io.out(`${verdict.valid ? 'AUTHENTIC signature' : 'NOT AUTHENTIC'}${identifier ? ` — license ${identifier}` : ''}\n`);
    for (const check of verdict.checks) io.out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
    if (verdict.valid) io.out('  (offline: whether the license was later revoked is known only to the vault — check its QR link)\n');
  }
  return verdict.valid ? 0 : 1;
}
