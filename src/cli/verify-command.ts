import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pkiPaths } from '../adapters/pki/pki-directory.js';
import { StrictPdfSignatureVerifier } from '../adapters/pki/verifier/strict-pdf-verifier.js';
import { loadTrustDirectory } from '../adapters/pki/x509/index.js';
import { loadConfig } from '../config/index.js';
import { copyMetadataIn } from '../modules/copies/index.js';
import { identifierInFile, judgeCopyOffline, platformSignerCheck } from '../modules/verification/index.js';
import type { CopyMetadata } from '../modules/copies/index.js';
import type { SignatureVerdict } from '../modules/verification/index.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const VERIFY_USAGE = `license-vault verify FILE.pdf [--trust DIR] [--json]
  offline: no server, no database; exit 0 authentic signature (an annotated copy: authentic and within its validity),
  1 not authentic (or a copy past its validity), 2 usage or I/O error`;

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
  const copyMetadata = copyMetadataIn(pdf);
  const verdict = await new StrictPdfSignatureVerifier({ trustedRoots: () => roots, clock: { now: io.now } }).verify(pdf);
  if (copyMetadata !== null || verdict.copySigner) return reportCopy(verdict, copyMetadata, io, values.json === true);
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

/**
 * An annotated copy (加注件), offline: its signature (by the platform's
 * certificate), its metadata and its validity by the clock. Whether its
 * original still exists and is in force is known only to the vault: the
 * verdict says so, and points to the copy's QR link.
 */
function reportCopy(verdict: SignatureVerdict, metadata: CopyMetadata | null, io: CommandIo, json: boolean): number {
  const signer = platformSignerCheck(verdict);
  const checks: { name: string; ok: boolean; detail: string }[] = [...verdict.checks, signer];
  let result: 'authentic-copy' | 'copy-expired' | 'not-authentic' = 'not-authentic';
  let copy: ReturnType<typeof judgeCopyOffline>['copy'] | null = null;
  if (verdict.valid && signer.ok) {
    if (metadata === null) checks.push({ name: 'copy-metadata', ok: false, detail: 'signed by the platform but carries no complete annotated-copy metadata' });
    else {
      const judged = judgeCopyOffline(metadata, io.now());
      checks.push(...judged.checks);
      result = judged.result;
      copy = judged.copy;
    }
  }
  if (json) {
    io.out(`${JSON.stringify({ valid: result === 'authentic-copy', result, copy, signer: verdict.signer, signedAt: verdict.signedAt, checks }, null, 2)}\n`);
  } else {
    const headline = { 'authentic-copy': 'AUTHENTIC annotated copy (加注件)', 'copy-expired': 'EXPIRED annotated copy (加注件)', 'not-authentic': 'NOT AUTHENTIC' }[result];
    io.out(`${headline}${copy ? ` ${copy.copyId} — of license ${copy.original.identifier}` : ''}\n`);
    if (copy) {
      io.out(`  provided to ${copy.office.name} for ${copy.serviceItem} (${copy.purpose}), valid until ${copy.validUntil}\n`);
    }
    for (const check of checks) io.out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
    if (copy) io.out("  (offline: whether the original is still in force is known only to the vault — open the copy's QR link)\n");
  }
  return result === 'authentic-copy' ? 0 : 1;
}
