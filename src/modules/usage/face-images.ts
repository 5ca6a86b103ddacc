import type { LicenseFaceRenderer } from '../templates/index.js';

export type { LicenseFaceRenderer };

/**
 * Faces by the SHA-256 of the file they are drawn from (a license's file never
 * changes, so neither does its face), the most recently used `capacity` kept;
 * concurrent asks for one face draw it once.
 */
export class FaceImages {
  private readonly images = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly renderer: LicenseFaceRenderer,
    private readonly capacity = 64,
  ) {
    if (!(capacity > 0)) throw new TypeError('FaceImages needs a positive capacity');
  }

  faceOf(sha256: string, pdf: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const held = this.images.get(sha256);
    if (held) {
      this.images.delete(sha256);
      this.images.set(sha256, held);
      return held;
    }
    const drawn = pdf().then((bytes) => this.renderer.render(bytes));
    this.images.set(sha256, drawn);
    drawn.catch(() => this.images.delete(sha256));
    while (this.images.size > this.capacity) this.images.delete(this.images.keys().next().value as string);
    return drawn;
  }

  get size(): number {
    return this.images.size;
  }
}
