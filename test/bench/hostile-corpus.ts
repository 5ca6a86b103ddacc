/**
 * `npm run bench:corpus [-- --out DIR]`: the hostile-file corpus sent to a
 * freshly started vault process over HTTP while other clients keep
 * verifying, with each case's answer, wall time and the process's peak RSS.
 * Bounds (issue 6): every case answered correctly within 2 s, the process
 * under 512 MiB. Exits 1 when a bound is broken. `--out` also writes every
 * corpus file and the report to DIR, for other tools to inspect.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHostileCorpus } from '../corpus/hostile-corpus.js';
import { corpusTable, prepareMaterial, runCorpus, writeCorpusReport } from '../corpus/run-corpus.js';
import { CLIENT_LIMITS_LIFTED, runVault } from '../support/vault-process.js';

const P12_PASSWORD = 'bench-fixture-password';
const BOUND_MS = 2000;
const BOUND_MIB = 512;

async function main(): Promise<number> {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-corpus-'));
  const vault = await runVault(
    dir,
    {
      VAULT_P12_PASSWORD: P12_PASSWORD,
      ...CLIENT_LIMITS_LIFTED,
    },
    { built: true },
  );
  try {
    const material = await prepareMaterial(vault, join(dir, 'certs'), P12_PASSWORD);
    const cases = await buildHostileCorpus(material);
    const report = await runCorpus(vault, cases, material.genuine.bytes);
    process.stdout.write(corpusTable(report));
    if (out) {
      mkdirSync(out, { recursive: true });
      cases.forEach((entry, index) => {
        if ('upload' in entry) writeFileSync(join(out, `${String(index).padStart(2, '0')}-${entry.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.pdf`), entry.upload.bytes);
      });
      process.stdout.write(`corpus and report written to ${writeCorpusReport(out, report)}\n`);
    }
    const slowest = Math.max(...report.rows.map((row) => row.ms));
    const peak = Math.max(...report.rows.map((row) => row.peakRssMiB ?? 0));
    const wrong = report.rows.filter((row) => !row.ok).length;
    process.stdout.write(
      `\n${report.rows.length} cases, ${wrong} answered wrongly; slowest ${slowest.toFixed(0)} ms (bound ${BOUND_MS}); peak RSS ${peak.toFixed(0)} MiB (bound ${BOUND_MIB})\n`,
    );
    return wrong === 0 && report.others.failures.length === 0 && slowest <= BOUND_MS && peak < BOUND_MIB ? 0 : 1;
  } finally {
    await vault.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
