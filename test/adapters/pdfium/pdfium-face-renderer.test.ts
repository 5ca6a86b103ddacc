import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { checkPngStructure } from '../../../src/adapters/pdf/png-structure.js';
import { encodePngFromRgba } from '../../../src/adapters/pdfium/png-encoder.js';
import { PdfiumFaceRenderer } from '../../../src/adapters/pdfium/pdfium-face-renderer.js';
import type { Principal } from '../../../src/modules/auth/index.js';
import type { LicenseTemplate } from '../../../src/modules/templates/index.js';
import { TEST_DEPARTMENT } from '../../fixtures/pki.js';
import { openVaultHarness, type VaultHarness } from '../../support/vault-harness.js';

const issuer: Principal = { clientId: 'issuer-fz', role: 'issuer', department: TEST_DEPARTMENT.creditCode };

/** The RGB pixels of a PNG this encoder wrote (8-bit truecolour, filters None and Up). */
function pixelsOf(png: Buffer): { width: number; height: number; rgb: Buffer } {
  const { width, height } = checkPngStructure(png, 10_000);
  const idat = png.subarray(8 + 25 + 8, png.length - 12 - 4);
  const raw = inflateSync(idat);
  const stride = width * 3 + 1;
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let i = 0; i < width * 3; i += 1) {
      const value = raw[y * stride + 1 + i]!;
      rgb[y * width * 3 + i] = raw[y * stride] === 2 ? (value + rgb[(y - 1) * width * 3 + i]!) & 0xff : value;
    }
  }
  return { width, height, rgb };
}

describe('PNG encoding of a RGBA bitmap', () => {
  test('writes the pixels back as RGB, row by row, in a PNG a strict checker accepts', () => {
    // 2 × 2: blue, green / red, white (RGBA).
    const rgba = Uint8Array.from([0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255]);
    const decoded = pixelsOf(encodePngFromRgba(rgba, 2, 2));
    expect([decoded.width, decoded.height]).toEqual([2, 2]);
    expect([...decoded.rgb]).toEqual([0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255]);
  });

  test('a bitmap smaller than its size is refused', () => {
    expect(() => encodePngFromRgba(new Uint8Array(15), 2, 2)).toThrow(TypeError);
    expect(() => encodePngFromRgba(new Uint8Array(16), 0, 2)).toThrow(TypeError);
  });
});

describe('PdfiumFaceRenderer', () => {
  let vault: VaultHarness;
  const renderer = new PdfiumFaceRenderer({ scale: 1 });

  beforeAll(async () => {
    vault = await openVaultHarness();
  });
  afterAll(async () => {
    await renderer.close();
    await vault.close();
  });

  test("draws a signed license's first page: an A4 portrait image, mostly white paper with dark text and a red seal", async () => {
    const teacher = vault.templates.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const { license } = await vault.issuance.issue(issuer, {
      licenseType: teacher.catalogue.typeCode,
      holder: { type: 'citizen', id: '11010519491231002X', name: '李秀英' },
      fields: teacher.example.fields,
    });
    const file = await vault.store.licenseFiles.get(license.identifier);
    const png = Buffer.from(await renderer.render(file!.bytes));
    if (process.env.FACE_PNG_OUT) writeFileSync(process.env.FACE_PNG_OUT, png);
    const { width, height, rgb } = pixelsOf(png);
    // A4 (595.3 × 841.9 points) at 1 px per point, floored.
    expect([width, height]).toEqual([595, 841]);
    let white = 0;
    let dark = 0;
    let red = 0;
    for (let i = 0; i < rgb.length; i += 3) {
      const [r, g, b] = [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
      if (r > 240 && g > 240 && b > 240) white += 1;
      else if (r < 100 && g < 100 && b < 100) dark += 1;
      else if (r > 150 && g < 90 && b < 90) red += 1;
    }
    const pixels = width * height;
    expect(white / pixels).toBeGreaterThan(0.5);
    expect(dark).toBeGreaterThan(1000);
    expect(red).toBeGreaterThan(500);
  });

  test('bytes that are not a PDF are refused with an error, and the renderer still draws afterwards', async () => {
    await expect(renderer.render(Buffer.from('%PDF-1.7 not really'))).rejects.toThrow();
    const [any] = (await vault.store.licenses.listByHolder({ holderType: 'citizen', holderNumber: '11010519491231002X', limit: 1 })).items;
    const file = await vault.store.licenseFiles.get(any!.identifier);
    await expect(renderer.render(file!.bytes)).resolves.toBeInstanceOf(Uint8Array);
  });
});
