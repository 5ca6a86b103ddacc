/**
 * `npm run bench`: every benchmark of the vault against its peer, measured in
 * the same run on this machine, written to docs/benchmarks.md. Runs the
 * build (`npm start`'s entry) as separate processes; load comes from
 * autocannon in this process. BENCH_SECONDS sets each load's length.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RunningVault } from '../support/vault-process.js';
import { startBenchVault } from './bench-vault.js';
import { sectionMarkdown, type Section } from './report.js';
import { benchCopies } from './sections/copies.js';
import { benchImport } from './sections/import.js';
import { benchIssuance } from './sections/issuance.js';
import { benchLookup } from './sections/lookup.js';
import { benchUsageRecord } from './sections/usage-record.js';
import { benchRedemption } from './sections/redemption.js';
import { benchVerification } from './sections/verification.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const OUT = process.env.BENCH_OUT ?? 'docs/benchmarks.md';
/** BENCH_ONLY=issuance,lookup runs a subset (for a quick look; the committed report comes from a full run). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'issuance,verification,copies,lookup,import,redemption,usage').split(','));

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  log('building');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const work = mkdtempSync(join(tmpdir(), 'vault-bench-'));
  const sections: Section[] = [];
  try {
    // Each load gets a vault process of its own, so that its peak RSS is that load's alone.
    const onFreshVault = async (name: string, bench: (vault: RunningVault, dir: string, seconds: number) => Promise<Section>): Promise<void> => {
      log(name);
      const dir = join(work, name);
      const vault = await startBenchVault(dir);
      try {
        sections.push(await bench(vault, dir, SECONDS));
      } finally {
        await vault.stop();
      }
    };
    if (ONLY.has('issuance')) await onFreshVault('issuance', benchIssuance);
    if (ONLY.has('verification')) await onFreshVault('verification', benchVerification);
    if (ONLY.has('copies')) await onFreshVault('copies', benchCopies);
    if (ONLY.has('lookup')) {
      log('holder look-up at scale (seeding 1,000,000 licenses)');
      sections.push(await benchLookup(join(work, 'lookup'), SECONDS, 8));
    }
    if (ONLY.has('usage')) {
      log('usage record (seeding 110,000 audit entries)');
      sections.push(await benchUsageRecord(join(work, 'usage'), SECONDS, 8));
    }
    if (ONLY.has('redemption')) {
      log('redeeming 用证码 (seeding 3,000 authorizations)');
      sections.push(await benchRedemption(join(work, 'redemption'), SECONDS, 8));
    }
    if (ONLY.has('import')) {
      log('bulk import');
      sections.push(await benchImport(join(work, 'import'), 100_000));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const minutes = (performance.now() - started) / 60_000;
  const cpu = cpus();
  const header = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}, ${process.platform}. The whole run took ${minutes.toFixed(1)} minutes; each load ran ${SECONDS} s after a short warm-up.`,
    '',
    "Every figure is from one run of the built vault (the code `npm start` runs) as its own process, a fresh one for each section, with autocannon generating load from the bench process on the same two cores, so the load generator takes CPU from the server. Each peer is measured in the same run; ratios compare the two. The machine is shared and noisy: compare ratios, not absolute figures, across runs. Peak RSS is the server process's (all threads), reset before each load.",
    '',
    "CPU per request is read from /proc for each of the server's threads over the load: its main thread (HTTP, routing, the store), its other threads (render and verify workers, V8's GC helpers, the libuv pool), and autocannon in the bench process. The ceiling is what that CPU allows: no more than one main thread's worth, and no more than the cores. Why some targets are not met here, with profiles: [performance.md](performance.md). `BENCH_PROFILE=DIR npm run bench` writes the V8 CPU profiles of every vault it starts.",
    '',
  ].join('\n');
  writeFileSync(OUT, `${header}\n${sections.map(sectionMarkdown).join('\n')}`);
  log(`wrote ${OUT} (${minutes.toFixed(1)} min)`);
  const missed = sections.flatMap((section) =>
    section.figures.filter((figure) => figure.met === false).map((figure) => `${section.title}: ${figure.name} = ${figure.ours} (target ${figure.target})`),
  );
  for (const line of missed) log(`target missed: ${line}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
