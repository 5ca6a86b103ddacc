import { parseArgs } from 'node:util';
import { pkiPaths } from '../adapters/pki/pki-directory.js';
import { StrictPdfSignatureVerifier } from '../adapters/pki/verifier/strict-pdf-verifier.js';
import { loadTrustDirectory } from '../adapters/pki/x509/index.js';
import { openStore } from '../composition/open-store.js';
import { loadConfig } from '../config/index.js';
import { checkVaultConsistency } from '../modules/integrity/index.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const FSCK_USAGE = `license-vault fsck [--json]
    is the store whole (after a crash or a restore)? Files, signatures, audit entries, serials, the
    audit chain and the engine's own check. Reads only. Exit 0 if consistent, 1 naming what is not.`;

/** `license-vault fsck`: the consistency check over the configured store, with the vault's trust roots. */
export async function runFsckCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: true });
  const config = loadConfig(io.env);
  const trustDir = pkiPaths(config.certsDir).trustDir;
  const roots = await loadTrustDirectory(trustDir);
  if (roots.length === 0) throw new UsageError(`no trusted root certificates in ${trustDir}`);
  const verifier = new StrictPdfSignatureVerifier({ trustedRoots: () => roots, clock: { now: io.now } });
  const store = await openStore(config);
  try {
    const report = await checkVaultConsistency({ store, verifier });
    if (values.json) {
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.out(`${report.ok ? 'CONSISTENT' : 'NOT CONSISTENT'}: ${report.licenses} licenses, ${report.auditEntries} audit entries\n`);
      for (const check of report.checks) {
        io.out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
        for (const problem of check.problems) io.out(`       - ${problem}\n`);
        if (check.problemCount > check.problems.length) io.out(`       … and ${check.problemCount - check.problems.length} more\n`);
      }
    }
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}
