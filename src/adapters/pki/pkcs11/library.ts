import { SigningError } from '../../../shared/errors.js';
import { loadPkcs11Binding, returnValueOf, CK, type Pkcs11Binding } from './binding.js';

/** How a library is loaded: the real pkcs11js binding, or (in tests) a wrapper of it. */
export type BindingLoader = (path: string) => Pkcs11Binding;

function unavailable(message: string, cause?: unknown): SigningError {
  return new SigningError('ERR_SIGNER_UNAVAILABLE', message, undefined, cause === undefined ? undefined : { cause });
}

/**
 * One C_Initialize … C_Finalize span of a PKCS#11 library. Sessions and
 * object handles belong to it and die with it. After a fault it is retired:
 * it takes no new work, and is finalised once the calls under way have
 * returned (C_Finalize must not run beside other calls).
 */
export class Pkcs11Connection {
  #inFlight = 0;
  #retired = false;
  #finalized: Promise<void> | null = null;
  #onDrained: (() => void) | null = null;

  constructor(
    readonly binding: Pkcs11Binding,
    /** Counts the connections a library has made, so logs and errors can tell them apart. */
    readonly generation: number,
  ) {}

  /** False once retired: its sessions and handles must not be used again. */
  get alive(): boolean {
    return !this.#retired;
  }

  /**
   * Runs `work` on this connection, counted as under way until it settles.
   * @throws SigningError ERR_SIGNER_UNAVAILABLE when the connection was retired after a fault.
   */
  async run<T>(work: (binding: Pkcs11Binding) => T | Promise<T>): Promise<T> {
    if (this.#retired) throw unavailable('the connection to the PKCS#11 token was reset after a fault; the next request reconnects');
    this.#inFlight += 1;
    try {
      return await work(this.binding);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#onDrained?.();
    }
  }

  /** Stops new work, waits for the calls under way, then C_Finalize (its failure is moot: the next connection starts afresh). */
  retire(): Promise<void> {
    if (this.#finalized) return this.#finalized;
    this.#retired = true;
    this.#finalized = new Promise<void>((resolve) => {
      const finalize = (): void => {
        try {
          this.binding.C_Finalize();
        } catch {
          // A library that cannot finalise is initialised again anyway, or reports why then.
        }
        resolve();
      };
      if (this.#inFlight === 0) finalize();
      else this.#onDrained = finalize;
    });
    return this.#finalized;
  }
}

/**
 * A PKCS#11 module (the vendor's shared library), loaded once and
 * initialised on demand. Its state is global to the process, so each
 * process has one Pkcs11Library per module path: the composition root
 * makes it and hands it to whoever needs the token.
 *
 * After a fault the current connection is retired ({@link restart}); the
 * next {@link connection} waits for its C_Finalize and initialises again,
 * which also makes the module scan its slots afresh (SoftHSM, for one,
 * sees tokens added or restored only then).
 */
export class Pkcs11Library {
  #binding: Pkcs11Binding | null = null;
  #live: Pkcs11Connection | null = null;
  #finalizing: Promise<void> = Promise.resolve();
  #generation = 0;
  #closed = false;

  constructor(
    readonly path: string,
    private readonly load: BindingLoader = loadPkcs11Binding,
  ) {}

  /**
   * The live connection, initialising the module first if need be.
   * @throws SigningError ERR_SIGNER_UNAVAILABLE when the module cannot be
   *   loaded or initialised (C_Initialize refused, or already initialised
   *   by another user in this process).
   */
  async connection(): Promise<Pkcs11Connection> {
    for (;;) {
      if (this.#closed) throw unavailable(`the PKCS#11 library ${this.path} is closed`);
      if (this.#live?.alive) return this.#live;
      const finalizing = this.#finalizing;
      await finalizing;
      // Another caller may have connected, or retired again, while this one waited.
      if (this.#finalizing === finalizing && !this.#live?.alive) return (this.#live = this.initialize());
    }
  }

  /** Retires `connection` if it is the live one; the next {@link connection} makes a new one. */
  restart(connection: Pkcs11Connection): void {
    if (connection !== this.#live) return;
    this.#live = null;
    this.#finalizing = connection.retire();
  }

  /** Finalises the live connection (after its calls return) and unloads the module. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#live) this.restart(this.#live);
    await this.#finalizing;
    try {
      this.#binding?.close();
    } catch {
      // Unloading is best effort: the process is done with the module.
    }
    this.#binding = null;
  }

  private initialize(): Pkcs11Connection {
    if (!this.#binding) {
      try {
        this.#binding = this.load(this.path);
      } catch (error) {
        throw unavailable(`the PKCS#11 library ${this.path} cannot be loaded: ${error instanceof Error ? error.message : String(error)}`, error);
      }
    }
    try {
      this.#binding.C_Initialize({ flags: CK.CKF_OS_LOCKING_OK });
    } catch (error) {
      const returnValue = returnValueOf(error);
      const why = returnValue === 'CKR_CRYPTOKI_ALREADY_INITIALIZED' ? 'it is already initialised by another user in this process' : (returnValue ?? String(error));
      throw unavailable(`PKCS#11 C_Initialize of ${this.path} failed: ${why}`, error);
    }
    this.#generation += 1;
    return new Pkcs11Connection(this.#binding, this.#generation);
  }
}
