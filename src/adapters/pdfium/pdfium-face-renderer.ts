import { PDFiumLibrary } from '@hyzyla/pdfium';
import type { LicenseFaceRenderer } from '../../modules/usage/index.js';
import { encodePngFromRgba } from './png-encoder.js';

export interface PdfiumFaceRendererOptions {
  /** Pixels per PDF point: 2 draws an A4 page about 1190 px wide, sharp on a phone. */
  readonly scale?: number;
}

/**
 * A license's face: the first page of its signed PDF drawn by PDFium
 * (compiled to WebAssembly, shipped in the npm package: nothing downloaded)
 * and encoded as PNG. One library instance, loaded on first use; documents
 * are freed after each drawing.
 */
export class PdfiumFaceRenderer implements LicenseFaceRenderer {
  private library: Promise<PDFiumLibrary> | null = null;
  private readonly scale: number;

  constructor(options: PdfiumFaceRendererOptions = {}) {
    this.scale = options.scale ?? 2;
    if (!(this.scale > 0 && this.scale <= 4)) throw new TypeError('scale must be in (0, 4]');
  }

  async render(pdf: Uint8Array): Promise<Uint8Array> {
    const library = await (this.library ??= PDFiumLibrary.init());
    const document = await library.loadDocument(pdf);
    try {
      // 'BGRA' names the bitmap's format; the wrapper asks PDFium to reverse the byte order, so the pixels come out RGBA.
      const drawn = await document.getPage(0).render({ scale: this.scale, render: 'bitmap', colorSpace: 'BGRA', transparent: false });
      return encodePngFromRgba(drawn.data, drawn.width, drawn.height);
    } finally {
      document.destroy();
    }
  }

  /** Frees the WebAssembly instance. */
  async close(): Promise<void> {
    const library = this.library;
    this.library = null;
    if (library) (await library).destroy();
  }
}
