import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHostileCorpus, type CorpusCase, type CorpusMaterial } from '../corpus/hostile-corpus.js';
import { prepareMaterial, runCorpus, writeCorpusReport } from '../corpus/run-corpus.js';
import { HOSTILE_PDFS } from '../support/hostile-pdfs.js';
import { Validators } from '../support/validators.js';
import { CLIENT_LIMITS_LIFTED, runVault, type RunningVault } from '../support/vault-process.js';

/** The report (answer, time and peak RSS of every case) is kept as a test artifact (git-ignored). */
const ARTIFACTS = join(__dirname, '../../test-results');
const P12_PASSWORD = 'test-fixture-password';
const RSS_BOUND_MIB = 512;

describe('the hostile-file corpus against a running vault', () => {
  let dir: string;
  let vault: RunningVault;
  let material: CorpusMaterial;
  let cases: CorpusCase[];
  const file = (name: string): Uint8Array => {
    const found = cases.find((entry) => entry.name.startsWith(name));
    if (!found || !('upload' in found)) throw new Error(`no corpus file "${name}"`);
    return found.upload.bytes;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-corpus-'));
    // The build, as `npm start` runs it: memory is measured on what production runs.
    vault = await runVault(
      dir,
      {
        VAULT_P12_PASSWORD: P12_PASSWORD,
        ...CLIENT_LIMITS_LIFTED,
      },
      { built: true },
    );
    material = await prepareMaterial(vault, join(dir, 'certs'), P12_PASSWORD);
    cases = await buildHostileCorpus(material);
  }, 120_000);
  afterAll(async () => {
    await vault?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every case gets its expected answer while other clients keep being answered, in bounded memory', async () => {
    const report = await runCorpus(vault, cases, material.genuine.bytes);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeCorpusReport(ARTIFACTS, report);

    expect(report.rows.filter((row) => !row.ok).map((row) => `${row.name}: expected ${row.expected}, answered ${row.answer}`)).toEqual([]);
    expect(cases).toHaveLength(30 + HOSTILE_PDFS.length);
    expect(report.others.failures).toEqual([]);
    for (const row of report.rows) expect(row.othersAnswered).toBeGreaterThan(0);
    const peaks = report.rows.map((row) => row.peakRssMiB).filter((peak): peak is number => peak !== null);
    expect(peaks).toHaveLength(report.rows.length);
    expect(Math.max(...peaks)).toBeLessThan(RSS_BOUND_MIB);
    await expect(fetch(`${vault.base}/readyz`).then((res) => res.status)).resolves.toBe(200);
  }, 120_000);

  test('the corpus is what it claims: independent tools see each forgery', async () => {
    const validators = new Validators([await (await fetch(`${vault.base}/api/v1/trust`)).text()]);
    try {
      // A lenient validator calls the genuine signature valid under every appended update; the vault says tampered.
      for (const name of ['incremental update after signing: text changed', 'incremental update after signing: page added', 'incremental update after signing: annotation added']) {
        const report = validators.pdfsig(file(name));
        expect(report).toContain('Signature is Valid');
        expect(report).toContain('Not total document signed');
        expect(validators.qpdfCheck(file(name)).ok).toBe(true);
      }
      expect(pdftool('pdftotext', file('incremental update after signing: text changed'))).toContain('FORGED HOLDER');
      expect(pdftool('pdfinfo', file('incremental update after signing: page added'))).toMatch(/^Pages:\s+2$/m);
      expect(validators.pdfsig(file('a second signature'))).toMatch(/Signature #2:[\s\S]*Signature is Valid/);
      expect(validators.pdfsig(file('re-signed by the genuine key with SHA-1'))).toContain('Signing Hash Algorithm: SHA1');
      expect(validators.pdfsig(file('re-signed under a look-alike of the root CA'))).not.toContain('Certificate is Trusted');
      expect(validators.pdfsig(file('the genuine license, as issued'))).toContain('Certificate is Trusted');
      // OpenSSL checks the message digest in CMS_SignerInfo_verify_content.
      expect(validators.opensslVerify(file('message-digest mismatch'))).toMatchObject({ ok: false, output: expect.stringContaining('CMS_SignerInfo_verify_content') });
    } finally {
      validators.dispose();
    }
  });
});

/** A poppler tool's output on `pdf` (written to a temp file). */
function pdftool(tool: 'pdftotext' | 'pdfinfo', pdf: Uint8Array): string {
  const temp = mkdtempSync(join(tmpdir(), 'corpus-tool-'));
  try {
    const path = join(temp, 'f.pdf');
    writeFileSync(path, pdf);
    return execFileSync(tool, tool === 'pdftotext' ? [path, '-'] : [path], { encoding: 'utf8' });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
