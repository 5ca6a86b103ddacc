import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derPrefix } from './signature-surgery.js';

/**
 * Independent validators nobody here wrote: poppler's pdfsig (over NSS),
 * OpenSSL's `cms -verify` and qpdf. `.ci/run` installs them from Debian.
 */
export class Validators {
  private readonly dir = mkdtempSync(join(tmpdir(), 'vault-validators-'));
  private readonly nssDir = join(this.dir, 'nss');
  private readonly rootsFile = join(this.dir, 'roots.pem');
  private counter = 0;

  /** An NSS database and a CA file that trust exactly `rootPems`. */
  constructor(rootPems: readonly string[]) {
    execFileSync('mkdir', ['-p', this.nssDir]);
    execFileSync('certutil', ['-N', '-d', `sql:${this.nssDir}`, '--empty-password']);
    rootPems.forEach((pem, i) => {
      const file = join(this.dir, `root-${i}.pem`);
      writeFileSync(file, pem);
      execFileSync('certutil', ['-A', '-d', `sql:${this.nssDir}`, '-n', `root-${i}`, '-t', 'CT,C,C', '-a', '-i', file]);
    });
    writeFileSync(this.rootsFile, rootPems.join('\n'));
  }

  private file(bytes: Uint8Array, extension: string): string {
    this.counter += 1;
    const path = join(this.dir, `f${this.counter}.${extension}`);
    writeFileSync(path, bytes);
    return path;
  }

  /** pdfsig's report (stdout and stderr together). */
  pdfsig(pdf: Uint8Array): string {
    const result = spawnSync('pdfsig', ['-nssdir', `sql:${this.nssDir}`, this.file(pdf, 'pdf')], { encoding: 'utf8' });
    return `${result.stdout}${result.stderr}`;
  }

  /** `openssl cms -verify` of the CMS in /Contents over the two signed ranges, against the trusted roots. */
  opensslVerify(pdf: Uint8Array): { ok: boolean; output: string } {
    const text = Buffer.from(pdf).toString('latin1');
    const match = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].at(-1);
    if (!match) return { ok: false, output: 'no /ByteRange' };
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const content = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    let cms: Buffer;
    try {
      cms = derPrefix(Buffer.from(Buffer.from(pdf.subarray(a + b + 1, c - 1)).toString('latin1'), 'hex'));
    } catch {
      return { ok: false, output: 'no DER element in /Contents' };
    }
    const result = spawnSync(
      'openssl',
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', this.file(cms, 'p7s'), '-content', this.file(content, 'bin'), '-CAfile', this.rootsFile, '-out', '/dev/null'],
      { encoding: 'utf8' },
    );
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  }

  /** qpdf's structural check: exit status 0 (or 3, warnings only) and its report. */
  qpdfCheck(pdf: Uint8Array): { ok: boolean; output: string } {
    const result = spawnSync('qpdf', ['--check', this.file(pdf, 'pdf')], { encoding: 'utf8' });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
