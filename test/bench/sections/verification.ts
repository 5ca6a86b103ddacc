import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { RunningVault } from '../../support/vault-process.js';
import { foreignLicensePdf, issueLicensePdf, multipartPdf } from '../bench-vault.js';
import { httpLoad, type LoadResult } from '../http-load.js';
import { cpuFigure, fixed, whole, type Figure, type Section } from '../report.js';

const TEACHER = '11100000000013338W001';
const BUSINESS = '11100000MB028404XM001';

/** pdfsig on `file` back to back on every core for `seconds`: files per second. */
async function pdfsigPerSecond(file: string, nssDir: string, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      await new Promise<void>((resolve, reject) =>
        spawn('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { stdio: 'ignore' })
          .on('exit', () => resolve())
          .on('error', reject),
      );
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, loop));
  return done / ((performance.now() - start) / 1000);
}

/**
 * Verification of uploaded licenses over HTTP at concurrency 32: files the
 * vault issued (known bytes: status at once) and files it must verify
 * cryptographically (signed by the same department under the same root, but
 * issued by another vault), against pdfsig on the same files.
 */
export async function benchVerification(vault: RunningVault, dir: string, seconds: number): Promise<Section> {
  const known = await issueLicensePdf(vault, TEACHER);
  // Another type than the one this vault issued, so that its identifier is unknown here.
  const foreign = await foreignLicensePdf(dir, BUSINESS);

  const work = join(dir, 'pdfsig');
  const nssDir = join(work, 'nss');
  mkdirSync(nssDir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  writeFileSync(join(work, 'root.pem'), await (await fetch(`${vault.base}/api/v1/trust`)).text());
  execFileSync('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'root', '-t', 'CT,C,C', '-a', '-i', join(work, 'root.pem')]);

  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const [kind, pdf, expected] of [
    ['issued here (known bytes)', known, 'authentic'],
    ['verified cryptographically', foreign, 'not-issued-here'],
  ] as const) {
    const check = await fetch(`${vault.base}/api/v1/verifications`, {
      method: 'POST',
      body: (() => {
        const form = new FormData();
        form.append('file', new Blob([pdf]), 'l.pdf');
        return form;
      })(),
    });
    const verdict = ((await check.json()) as { result: string }).result;
    if (verdict !== expected) throw new Error(`the ${kind} file verifies as ${verdict}, not ${expected}`);
    const { body, contentType } = multipartPdf(pdf);
    const load = { url: `${vault.base}/api/v1/verifications`, method: 'POST' as const, headers: { 'content-type': contentType }, body, connections: 32, pid: vault.child.pid! };
    await httpLoad({ ...load, seconds: 2 });
    const ours: LoadResult = await httpLoad({ ...load, seconds });
    const file = join(work, `${expected}.pdf`);
    writeFileSync(file, pdf);
    const peer = await pdfsigPerSecond(file, nssDir, Math.max(4, seconds / 2));
    figures.push(
      {
        name: `${kind}: verifications/s`,
        ours: fixed(ours.perSecond),
        peer: { name: `pdfsig ×${availableParallelism()}`, value: fixed(peer) },
        ratio: ours.perSecond / peer,
        target: '≥ 1,000/s and ≥ 15×',
        met: ours.perSecond >= 1000 && ours.perSecond / peer >= 15,
      },
      { name: `${kind}: latency p50 / p99 (ms)`, ours: `${ours.p50} / ${ours.p99}` },
      { name: `${kind}: failed requests`, ours: whole(ours.failures), target: '0', met: ours.failures === 0 },
      { name: `${kind}: server peak RSS (MiB)`, ours: fixed(ours.peakRssMiB ?? Number.NaN, 0), target: '≤ 400', met: (ours.peakRssMiB ?? Infinity) <= 400 },
      cpuFigure(`${kind}: `, ours.cpuPerRequest, availableParallelism()),
    );
    notes.push(`${kind}: ${(pdf.length / 1024).toFixed(0)} KiB license, answered \`${expected}\`; ${whole(ours.requests)} uploads in ${seconds} s.`);
  }
  notes.push('Peer: poppler pdfsig (NSS, the root trusted) run back to back on every core on the same file; each run is a process start, as an office would run it.');
  return { title: 'Verification of uploaded licenses over HTTP (concurrency 32)', figures, notes };
}
