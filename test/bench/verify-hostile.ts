/**
 * `npm run bench:verify-hostile`: wall time and peak memory of the strict
 * verifier on each hostile input, each in a fresh process so that its peak
 * RSS is its own. Bound: ≤ 2 s and ≤ 256 MiB per input up to 10 MiB.
 */
import { execFileSync } from 'node:child_process';
import { StrictPdfSignatureVerifier } from '../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { systemClock } from '../../src/shared/clock.js';
import { HOSTILE_PDFS } from '../support/hostile-pdfs.js';

async function measureOne(index: number): Promise<void> {
  const entry = HOSTILE_PDFS[index];
  if (!entry) throw new Error(`no hostile input ${index}`);
  const input = entry[1]();
  const baseline = process.memoryUsage().rss;
  const verifier = new StrictPdfSignatureVerifier({ trustedRoots: () => [], clock: systemClock });
  const start = performance.now();
  const verdict = await verifier.verify(input);
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, peakMiB: process.resourceUsage().maxRSS / 1024, baselineMiB: baseline / 1048576, bytes: input.length, valid: verdict.valid }));
}

function main(): void {
  process.stdout.write('hostile input | size | verify ms | peak RSS MiB (process) | valid\n');
  let worst = { ms: 0, peakMiB: 0 };
  HOSTILE_PDFS.forEach(([name], index) => {
    const raw = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, String(index)], { encoding: 'utf8' });
    const result = JSON.parse(raw) as { ms: number; peakMiB: number; bytes: number; valid: boolean };
    worst = { ms: Math.max(worst.ms, result.ms), peakMiB: Math.max(worst.peakMiB, result.peakMiB) };
    process.stdout.write(`${name} | ${(result.bytes / 1048576).toFixed(2)} MiB | ${result.ms.toFixed(0)} | ${result.peakMiB.toFixed(0)} | ${result.valid}\n`);
  });
  process.stdout.write(`worst: ${worst.ms.toFixed(0)} ms, ${worst.peakMiB.toFixed(0)} MiB peak RSS (bound 2000 ms, 256 MiB)\n`);
}

const which = process.argv[2];
if (which === undefined) main();
else void measureOne(Number(which));
