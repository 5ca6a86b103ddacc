import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VaultWorkerPool } from '../../src/adapters/workers/worker-pool.js';
import { TemplateError } from '../../src/shared/errors.js';

/** A stand-in thread module, written at test time: `render` reports an expected failure, `verify` kills its thread. */
const THREAD = `export function render() { return { error: { kind: 'TemplateError', code: 'ERR_RENDER_GLYPH_MISSING', message: 'name: the license font cannot print U+2A6D6', details: { field: 'name' } } }; }
export function verify() { process.exit(3); }
`;

describe('worker pool', () => {
  let pool: VaultWorkerPool;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-worker-pool-'));
    writeFileSync(join(dir, 'thread.mjs'), THREAD);
    pool = new VaultWorkerPool({ workerFile: pathToFileURL(join(dir, 'thread.mjs')).href, data: { fonts: { regular: new SharedArrayBuffer(1), bold: new SharedArrayBuffer(1) }, trustedRoots: [] }, threads: 1, onThreadError: () => {} });
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a render thread's expected failure arrives as the same error class and code", async () => {
    const failure = pool.renderer.render({} as never);
    await expect(failure).rejects.toBeInstanceOf(TemplateError);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_RENDER_GLYPH_MISSING', details: { field: 'name' } });
  });

  test('a verifying thread that dies still gives a failed verdict, and the pool goes on', async () => {
    const verdict = await pool.verifier.verify(new Uint8Array([0x25, 0x50, 0x44, 0x46]));
    expect(verdict.valid).toBe(false);
    expect(verdict.checks.find((check) => !check.ok)).toMatchObject({ name: 'pdf-structure', detail: expect.stringContaining('verification aborted: the verifying thread stopped') });
    await expect(pool.renderer.render({} as never)).rejects.toMatchObject({ code: 'ERR_RENDER_GLYPH_MISSING' });
  });
});
