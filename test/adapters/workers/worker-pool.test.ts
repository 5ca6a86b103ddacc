import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadTemplateDirectory } from '../../../src/adapters/templates/template-directory.js';
import { ownBuffer, readFileShared, VaultWorkerPool } from '../../../src/adapters/workers/worker-pool.js';
import { locateSignaturePlaceholder } from '../../../src/lib/pdf-bytes/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { SigningError, TemplateError } from '../../../src/shared/errors.js';
import { sampleRenderRequest } from '../../bench/sample-request.js';

/** A stand-in thread module, written at test time: `render` reports an expected failure, `verify` kills its thread. */
const THREAD = `export function render(request) {
  if (request.placeholder === 'missing') return { error: { code: 'ERR_SIGNING_FAILED', message: 'The PDF has no signature placeholder to fill' } };
  return { error: { code: 'ERR_RENDER_GLYPH_MISSING', message: 'name: the license font cannot print U+2A6D6', details: { field: 'name' } } };
}
export function verify() { process.exit(3); }
`;

/** A one-thread pool running `threadSource` as its thread module, for the tests of one describe block. */
function poolRunning(threadSource: string): { readonly pool: VaultWorkerPool } {
  const opened = {} as { pool: VaultWorkerPool };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-worker-pool-'));
    writeFileSync(join(dir, 'thread.mjs'), threadSource);
    opened.pool = new VaultWorkerPool({
      workerFile: pathToFileURL(join(dir, 'thread.mjs')).href,
      data: { fonts: { regular: new SharedArrayBuffer(1), bold: new SharedArrayBuffer(1) }, trustedRoots: [] },
      threads: 1,
      onThreadError: () => {},
    });
  });
  afterAll(async () => {
    await opened.pool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return opened;
}

describe('worker pool', () => {
  const threads = poolRunning(THREAD);

  test("a render thread's expected failure arrives as the same error class and code", async () => {
    const failure = threads.pool.renderer.render({} as never);
    await expect(failure).rejects.toBeInstanceOf(TemplateError);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_RENDER_GLYPH_MISSING', details: { field: 'name' } });
    // The code alone names the class: a signing fault comes back as a SigningError.
    const signing = threads.pool.renderer.render({ placeholder: 'missing' } as never);
    await expect(signing).rejects.toBeInstanceOf(SigningError);
    await expect(signing).rejects.toMatchObject({ code: 'ERR_SIGNING_FAILED', message: 'The PDF has no signature placeholder to fill' });
  });

  test('a verifying thread that dies still gives a failed verdict, and the pool goes on', async () => {
    const verdict = await threads.pool.verifier.verify(new Uint8Array([0x25, 0x50, 0x44, 0x46]));
    expect(verdict.valid).toBe(false);
    expect(verdict.checks.find((check) => !check.ok)).toMatchObject({
      name: 'pdf-structure',
      detail: expect.stringContaining('verification aborted: the verifying thread stopped'),
    });
    await expect(threads.pool.renderer.render({} as never)).rejects.toMatchObject({ code: 'ERR_RENDER_GLYPH_MISSING' });
  });
});

/** A stand-in thread whose `verify` reports what bytes reached it. */
const ECHO_THREAD = `export function verify(pdf) { return { valid: false, checks: [{ name: 'pdf-structure', ok: false, detail: Buffer.from(pdf).toString('latin1') }] }; }
export function render() { throw new Error('not used'); }
`;

describe('worker pool: the file to verify crosses to the thread', () => {
  const threads = poolRunning(ECHO_THREAD);

  test("a render thread that throws is the vault's fault: 500-class ERR_RENDER_FAILED, not the request's", async () => {
    const failure = threads.pool.renderer.render({} as never);
    await expect(failure).rejects.toBeInstanceOf(TemplateError);
    await expect(failure).rejects.toMatchObject({ code: 'ERR_RENDER_FAILED', message: expect.stringContaining('not used') });
  });

  test('bytes that fill their own buffer move there instead of being copied', async () => {
    const upload = new Uint8Array(Buffer.from('%PDF-1.7 moved', 'latin1'));
    const verdict = await threads.pool.verifier.verify(upload);
    expect(verdict.checks[0]?.detail).toBe('%PDF-1.7 moved');
    expect(upload.byteLength).toBe(0);
  });

  test('bytes that share their buffer (a slice of a pooled Buffer) are copied, leaving the rest untouched', async () => {
    const pooled = Buffer.from('head%PDF-1.7 sliced tail', 'latin1');
    const slice = pooled.subarray(4, 19);
    expect(slice.byteLength).toBeLessThan(slice.buffer.byteLength);
    const verdict = await threads.pool.verifier.verify(slice);
    expect(verdict.checks[0]?.detail).toBe('%PDF-1.7 sliced');
    expect(pooled.toString('latin1')).toBe('head%PDF-1.7 sliced tail');
  });

  test('ownBuffer copies only when it must', () => {
    const owned = new Uint8Array(8);
    expect(ownBuffer(owned)).toBe(owned);
    const view = new Uint8Array(new ArrayBuffer(16), 4, 8);
    const copy = ownBuffer(view);
    expect(copy).not.toBe(view);
    expect([copy.byteOffset, copy.byteLength, copy.buffer.byteLength]).toEqual([0, 8, 8]);
    const shared = new Uint8Array(new SharedArrayBuffer(8));
    expect(ownBuffer(shared).buffer).toBeInstanceOf(ArrayBuffer);
  });
});

describe('worker pool: a license rendered on a thread (the real thread module, from source)', () => {
  let pool: VaultWorkerPool;
  beforeAll(async () => {
    pool = new VaultWorkerPool({
      workerFile: pathToFileURL(join(__dirname, '../../../src/composition/vault-worker.dev.mjs')).href,
      data: {
        fonts: {
          regular: await readFileShared(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
          bold: await readFileShared(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
        },
        trustedRoots: [],
      },
      threads: 1,
      onThreadError: () => {},
    });
  });
  afterAll(async () => {
    await pool.close();
  });

  test("arrives with its signature placeholder's offsets, where the locator finds the placeholder", async () => {
    const template = (await loadTemplateDirectory(join(__dirname, '../../../templates'), systemClock)).latest()[0]!;
    const { pdf, placeholder } = await pool.renderer.render(sampleRenderRequest(template));
    expect(pdf).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(locateSignaturePlaceholder(pdf)).toEqual(placeholder);
    expect(Buffer.from(pdf).toString('latin1', placeholder.byteRangeStart, placeholder.byteRangeEnd)).toBe('[ 0 /********** /********** /********** ]');
  });
});
