import { Piscina } from 'piscina';
import type { LicenseRenderer, RenderRequest } from '../../modules/templates/index.js';
import { SigningError, TemplateError, VaultError, type ErrorCode, type ErrorDetails } from '../../shared/errors.js';

/** The two faces licenses are set in, shared by every render thread without a copy each. */
export interface SharedLicenseFonts {
  readonly regular: SharedArrayBuffer;
  readonly bold: SharedArrayBuffer;
}

/** What a render thread is started with. */
export interface RenderWorkerData {
  readonly fonts: SharedLicenseFonts;
}

/** A render thread's answer: the PDF, or the expected failure it stopped at (errors lose their class crossing threads). */
export type RenderOutcome = Uint8Array | { readonly error: { readonly kind: string; readonly code: ErrorCode; readonly message: string; readonly details: ErrorDetails | undefined } };

const ERROR_KINDS: Readonly<Record<string, new (code: ErrorCode, message?: string, details?: ErrorDetails) => VaultError>> = { TemplateError, SigningError };

export function shareBytes(bytes: Uint8Array): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  return shared;
}

export interface RenderPoolOptions {
  /** URL or path of the thread's module, whose default export renders one request (composition/render-worker). */
  readonly workerFile: string;
  readonly fonts: SharedLicenseFonts;
  /** Render threads kept running. */
  readonly threads: number;
  /** A thread died (it is replaced; its task fails). */
  readonly onThreadError: (error: unknown) => void;
}

/**
 * Renders licenses on worker threads (piscina), so that rendering, the
 * heaviest step of issuance, runs on every core while the main thread serves
 * HTTP and the store. Requests queue when every thread is busy.
 */
export class RenderPool implements LicenseRenderer {
  private readonly pool: Piscina<RenderRequest, RenderOutcome>;

  constructor(options: RenderPoolOptions) {
    const workerData: RenderWorkerData = { fonts: options.fonts };
    this.pool = new Piscina({
      filename: options.workerFile,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      workerData,
      // A thread's live heap stays under 30 MiB even after every CJK ideograph has been set once; without limits V8
      // lets each thread's heap grow to hundreds of MiB under load before collecting.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 },
    });
    this.pool.on('error', options.onThreadError);
  }

  get threads(): number {
    return this.pool.threads.length;
  }

  async render(request: RenderRequest): Promise<Uint8Array> {
    const outcome = await this.pool.run(request);
    if (outcome instanceof Uint8Array) return outcome;
    const { kind, code, message, details } = outcome.error;
    throw new (ERROR_KINDS[kind] ?? VaultError)(code, message, details);
  }

  /** Waits for running renders, then stops the threads. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
