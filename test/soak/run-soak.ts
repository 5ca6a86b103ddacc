/**
 * `npm run soak`: mixed issuance, look-up and verification against one built
 * vault for SOAK_MINUTES (10), reported per slice of SOAK_SLICE_SECONDS (60),
 * written to SOAK_OUT (docs/soak.md). Exits 1 when a criterion is not met.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { evaluateSoak, MIN_SLICES } from './criteria.js';
import { runSoak } from './soak.js';
import { soakMarkdown } from './soak-report.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SLICE_SECONDS = Number(process.env.SOAK_SLICE_SECONDS ?? 60);
const OUT = process.env.SOAK_OUT ?? 'docs/soak.md';

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

async function main(): Promise<void> {
  const slices = Math.round((MINUTES * 60) / SLICE_SECONDS);
  if (!(SLICE_SECONDS > 0) || !(slices >= MIN_SLICES))
    throw new Error(`SOAK_MINUTES and SOAK_SLICE_SECONDS must make at least ${MIN_SLICES} slices (a warm-up, a baseline and a last one)`);
  log('building');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'vault-soak-'));
  try {
    const run = await runSoak({ dir, sliceSeconds: SLICE_SECONDS, slices, log });
    const criteria = evaluateSoak(run);
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}, ${process.platform}; autocannon runs in the soak's own process on the same cores, so the load generator takes CPU from the vault. The machine is shared: absolute latencies vary between runs.`;
    writeFileSync(OUT, soakMarkdown(run, criteria, machine));
    for (const criterion of criteria) log(`${criterion.ok ? 'ok  ' : 'FAIL'} ${criterion.name}: ${criterion.detail}`);
    log(`wrote ${OUT}`);
    if (!criteria.every((criterion) => criterion.ok)) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
