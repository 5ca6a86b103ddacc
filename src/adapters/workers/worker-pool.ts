import { open } from 'node:fs/promises';
import { Piscina, move, transferableSymbol, valueSymbol } from 'piscina';
import type { PreparedPdf } from '../../lib/pdf-bytes/index.js';
import type { LicenseRenderer, RenderRequest } from '../../modules/templates/index.js';
import type { LicenseFaceRenderer } from '../../modules/usage/index.js';
import { VerdictBuilder, type PdfSignatureVerifier, type SignatureVerdict } from '../../modules/verification/index.js';
import { TemplateError, vaultErrorOf, type ErrorCode, type ErrorDetails } from '../../shared/errors.js';

/** The two faces licenses are set in, shared by every thread without a copy each. */
export interface SharedLicenseFonts {
  readonly regular: SharedArrayBuffer;
  readonly bold: SharedArrayBuffer;
}

/** What a worker thread is started with. */
export interface VaultWorkerData {
  readonly fonts: SharedLicenseFonts;
  /** DER of each trusted root certificate. */
  readonly trustedRoots: readonly Uint8Array[];
}

/** A render's answer: the PDF with its placeholder's offsets, or the expected failure it stopped at (errors lose their class crossing threads; the code names it again). */
export type RenderOutcome = PreparedPdf | { readonly error: { readonly code: ErrorCode; readonly message: string; readonly details: ErrorDetails | undefined } };

/** A file read straight into memory every thread can see, so that it is held once. */
export async function readFileShared(path: string): Promise<SharedArrayBuffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const shared = new SharedArrayBuffer(size);
    const view = new Uint8Array(shared);
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(view, at, size - at, at);
      if (bytesRead === 0) throw new Error(`${path} ended after ${at} of ${size} bytes`);
      at += bytesRead;
    }
    return shared;
  } finally {
    await handle.close();
  }
}

/** `bytes` if they fill an ArrayBuffer of their own (which can then move to another thread), else a copy that does. */
export function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return bytes as Uint8Array<ArrayBuffer>;
  return new Uint8Array(bytes);
}

/**
 * A rendered PDF as a thread's answer: its memory moves to the main thread
 * rather than being copied (copied first only if it shares its buffer), and
 * the placeholder's offsets travel with it. Typed as what the main thread
 * receives.
 */
export function movePreparedPdf(prepared: PreparedPdf): RenderOutcome {
  const pdf = ownBuffer(prepared.pdf);
  const outcome: RenderOutcome = { pdf, placeholder: prepared.placeholder };
  return move({ [transferableSymbol]: pdf.buffer, [valueSymbol]: outcome }) as unknown as RenderOutcome;
}

export interface WorkerPoolOptions {
  /** URL or path of the thread's module, exporting `render`, `verify` and `face` (composition/vault-worker). */
  readonly workerFile: string;
  readonly data: VaultWorkerData;
  /** Threads kept running. */
  readonly threads: number;
  /** A thread failed outside any task, as when its module does not load (it is replaced). */
  readonly onThreadError: (error: unknown) => void;
}

/**
 * The CPU-heavy steps on worker threads (piscina), so that they run on every
 * core while the main thread serves HTTP and the store: rendering licenses
 * and verifying the signatures of uploaded files. Tasks queue when every
 * thread is busy.
 */
export class VaultWorkerPool {
  private readonly pool: Piscina;

  readonly renderer: LicenseRenderer = {
    render: async (request: RenderRequest): Promise<PreparedPdf> => {
      let outcome: RenderOutcome;
      try {
        outcome = (await this.pool.run(request, { name: 'render' })) as RenderOutcome;
      } catch (error) {
        // The thread itself failed (it died, or its module threw): a fault of the vault, not of the request.
        throw new TemplateError('ERR_RENDER_FAILED', `the rendering thread failed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
      }
      if (!('error' in outcome)) return outcome;
      const { code, message, details } = outcome.error;
      throw vaultErrorOf(code, message, details);
    },
  };

  /**
   * The strict verifier, run on a thread. The file's memory moves there
   * (copied first only if it shares its buffer with other data); the verdict
   * comes back. A thread that dies on a file still gives a verdict.
   */
  readonly verifier: PdfSignatureVerifier = {
    verify: async (pdf: Uint8Array): Promise<SignatureVerdict> => {
      try {
        return (await this.pool.run(move(ownBuffer(pdf)), { name: 'verify' })) as SignatureVerdict;
      } catch (error) {
        const verdict = new VerdictBuilder();
        verdict.fail('pdf-structure', `verification aborted: the verifying thread stopped (${error instanceof Error ? error.message : 'unknown error'})`);
        return verdict.build('verification aborted');
      }
    },
  };

  /** A license's face drawn from its PDF (PDFium, 100–300 ms a page): on a thread, so the main thread keeps serving. */
  readonly faces: LicenseFaceRenderer = {
    render: async (pdf: Uint8Array): Promise<Uint8Array> => (await this.pool.run(move(ownBuffer(pdf)), { name: 'face' })) as Uint8Array,
  };

  constructor(options: WorkerPoolOptions) {
    this.pool = new Piscina({
      filename: options.workerFile,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      workerData: options.data,
      // A thread's live heap stays under 30 MiB even after every CJK ideograph has been set once; without limits V8
      // lets each thread's heap grow to hundreds of MiB under load before collecting.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 },
    });
    this.pool.on('error', options.onThreadError);
  }

  /** Waits for running tasks, then stops the threads. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
