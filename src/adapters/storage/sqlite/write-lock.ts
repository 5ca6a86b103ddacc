/**
 * A FIFO async mutex. better-sqlite3 is synchronous, but a transaction's work
 * is async and yields between statements; the lock keeps any other write off
 * the writer connection until that transaction ends.
 */
export class WriteLock {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T> | T): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Resolves once every queued holder has finished. */
  async drain(): Promise<void> {
    let tail: Promise<void>;
    do {
      tail = this.tail;
      await tail;
    } while (tail !== this.tail);
  }
}
