import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CadesSignedDataBuilder } from '../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../src/adapters/pki/p12/index.js';
import { runCli } from '../../src/cli/main.js';
import { PadesSigner } from '../../src/modules/signing/index.js';
import { fixedClock } from '../../src/shared/clock.js';
import { makePreparedPdf, SIGNING_TIME } from '../fixtures/pdfs.js';
import { makeTestPki } from '../fixtures/pki.js';
import { flipByte } from '../support/tamper.js';

const NOW = new Date(SIGNING_TIME.getTime() + 3_600_000);

describe('license-vault verify (offline)', () => {
  let dir: string;
  let output: string;
  const run = (...argv: string[]) => runCli(argv, { out: (text) => void (output += text), env: {}, now: () => NOW });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vault-verify-cli-'));
    const pki = makeTestPki({ now: NOW });
    mkdirSync(join(dir, 'trust'));
    writeFileSync(join(dir, 'trust', 'root.pem'), pki.rootPem);
    const signer = await loadP12Signer({ p12: pki.department.p12, password: pki.department.password, clock: fixedClock(NOW.toISOString()) });
    const signed = await new PadesSigner(new CadesSignedDataBuilder()).sign(await makePreparedPdf(), signer);
    writeFileSync(join(dir, 'good.pdf'), signed);
    writeFileSync(join(dir, 'bad.pdf'), flipByte(signed, 300));
  });
  beforeEach(() => (output = ''));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a genuine file: exit 0 and every check listed', async () => {
    await expect(run('verify', join(dir, 'good.pdf'), '--trust', join(dir, 'trust'))).resolves.toBe(0);
    expect(output).toMatch(/^AUTHENTIC signature/);
    expect(output).toContain('ok   whole-file');
  });

  test('an altered file: exit 1 naming the failed check; JSON on request', async () => {
    await expect(run('verify', join(dir, 'bad.pdf'), '--trust', join(dir, 'trust'), '--json')).resolves.toBe(1);
    expect(JSON.parse(output)).toMatchObject({ valid: false, checks: expect.arrayContaining([expect.objectContaining({ name: 'message-digest', ok: false })]) });
  });

  test('usage and I/O errors: exit 2', async () => {
    await expect(run('verify')).resolves.toBe(2);
    await expect(run('verify', join(dir, 'missing.pdf'), '--trust', join(dir, 'trust'))).resolves.toBe(2);
    await expect(run('verify', join(dir, 'good.pdf'), '--trust', join(dir, 'empty-trust'))).resolves.toBe(2);
  });
});
