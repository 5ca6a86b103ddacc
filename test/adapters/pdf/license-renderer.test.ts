import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PdfLibLicenseRenderer } from '../../../src/adapters/pdf/license-renderer.js';
import { CadesSignedDataBuilder } from '../../../src/adapters/pki/cms/signed-data-builder.js';
import { loadP12Signer } from '../../../src/adapters/pki/p12/index.js';
import { StrictPdfSignatureVerifier } from '../../../src/adapters/pki/verifier/strict-pdf-verifier.js';
import { summarizeCertificate } from '../../../src/adapters/pki/x509/index.js';
import { qrcodeEncoder } from '../../../src/adapters/qr/qrcode-encoder.js';
import { loadTemplateDirectory } from '../../../src/adapters/templates/template-directory.js';
import { buildLicenseIdentifier } from '../../../src/modules/identity/index.js';
import { PadesSigner } from '../../../src/modules/signing/index.js';
import { chineseDate, itemText, validateFaceFields, type LicenseTemplate, type RenderRequest, type TemplateCatalog } from '../../../src/modules/templates/index.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { licenseFonts } from '../../fixtures/fonts.js';
import { makeTestPki } from '../../fixtures/pki.js';
import { discPng, isBlue, isInked, isRed, pdffonts, pdfinfo, pdftotext, rasterize, rechunk, SEAL_BLUE, shareOfPixels, zbarimg } from '../../support/rendering.js';
import { Validators } from '../../support/validators.js';

const TEMPLATES_DIR = join(__dirname, '../../../templates');
const NOW = new Date('2026-11-21T02:00:00Z');
const clock = fixedClock(NOW.toISOString());
const ISSUER = { name: '福州市行政审批局', creditCode: '11350100DEM000014R' };
const pki = makeTestPki({ now: NOW });
const renderer = new PdfLibLicenseRenderer(licenseFonts(), qrcodeEncoder);
const pades = new PadesSigner(new CadesSignedDataBuilder());
const verifier = new StrictPdfSignatureVerifier({
  trustedRoots: () => [{ der: pki.root.certificateDer, pem: pki.rootPem, summary: summarizeCertificate(pki.root.certificateDer) }],
  clock,
});
const templateIds = readdirSync(TEMPLATES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function requestFor(template: LicenseTemplate, serial: number): RenderRequest {
  const identifier = buildLicenseIdentifier({
    typeCode: template.catalogue.typeCode,
    issuerCreditCode: ISSUER.creditCode,
    serial: `T${String(serial).padStart(9, '0')}`,
    version: 1,
  });
  return {
    template,
    fields: validateFaceFields(template, template.example.fields),
    license: {
      identifier,
      licenseNumber: `35010020260${String(serial).padStart(5, '0')}`,
      typeCode: template.catalogue.typeCode,
      holder: { type: template.catalogue.holderType, number: template.example.holder.id, name: template.example.holder.name },
      issuer: ISSUER,
      issueDate: '2026-11-21',
      validFrom: template.example.validFrom ?? '2026-11-21',
      validUntil: template.example.validUntil ?? null,
    },
    verificationUrl: `https://zzk.example.gov.cn/v/${identifier}?c=Q7mZ4xK2pV9sT3wN6yR8dA`,
    seal: { kind: 'drawn', departmentName: ISSUER.name },
    signature: { fieldName: `Signature-${serial}`, signingTime: NOW, reason: '颁发电子证照', location: '福建省福州市', signerName: ISSUER.name },
  };
}

const squash = (text: string): string => text.replace(/\s+/gu, '');

describe('license templates rendered, sealed and signed, checked with poppler and zbar', () => {
  let catalog: TemplateCatalog;
  let validators: Validators;
  beforeAll(async () => {
    catalog = await loadTemplateDirectory(TEMPLATES_DIR, clock);
    validators = new Validators([pki.rootPem]);
  });
  afterAll(() => validators.dispose());

  test('the repository ships at least four license types, two for citizens and two for organisations', () => {
    const types = catalog.latest();
    expect(types.length).toBeGreaterThanOrEqual(4);
    expect(types.filter((t) => t.catalogue.holderType === 'citizen').length).toBeGreaterThanOrEqual(2);
    expect(types.filter((t) => t.catalogue.holderType === 'organization').length).toBeGreaterThanOrEqual(2);
  });

  describe.each(templateIds)('%s', (id) => {
    let template: LicenseTemplate;
    let request: RenderRequest;
    let signed: Uint8Array;
    beforeAll(async () => {
      template = catalog.latest().find((t) => t.id === id) as LicenseTemplate;
      request = requestFor(template, templateIds.indexOf(id) + 1);
      const signer = await loadP12Signer({ p12: pki.department.p12, password: pki.department.password, clock });
      signed = await pades.sign(await renderer.render(request), signer);
    });

    test('pdftotext returns every face value and the identifier exactly', () => {
      const text = squash(pdftotext(signed));
      for (const item of template.layout.items) {
        const { label, text: value } = itemText(item, template, request.license, request.fields);
        if (item.labelWidth > 0) expect(text).toContain(squash(label));
        expect(text).toContain(squash(value));
      }
      expect(text).toContain(`电子证照标识：${request.license.identifier}`);
      expect(text).toContain(template.layout.title.text);
      expect(text).toContain(chineseDate('2026-11-21'));
    });

    test('pdffonts shows the CJK faces embedded as subsets with ToUnicode maps', () => {
      const rows = pdffonts(signed).split('\n').slice(2).filter(Boolean);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+NotoSerifSC-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/);
    });

    test('the page is not blank, the seal is red, and the QR code decodes to the verification URL', () => {
      const raster = rasterize(signed, 150);
      const height = template.layout.page.orientation === 'portrait' ? Math.max(...pageSize(template)) : Math.min(...pageSize(template));
      const whole = { x: 0, y: 0, width: 2000, height: 2000 };
      expect(shareOfPixels(raster, height, whole, isInked)).toBeGreaterThan(0.02);
      const { x, y, radius } = template.layout.seal;
      expect(shareOfPixels(raster, height, { x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius }, isRed)).toBeGreaterThan(0.08);
      expect(shareOfPixels(raster, height, whole, isRed)).toBeLessThan(0.2);
      expect(zbarimg(raster.png)).toEqual([request.verificationUrl]);
    });

    test('metadata: title, subject, keywords and the GB/T 36903 entries', () => {
      const info = pdfinfo(signed);
      expect(info).toContain(`Title:           ${template.catalogue.name} ${request.license.licenseNumber}`);
      expect(info).toMatch(/Subject:\s+\S+（电子证照）/u);
      expect(info).toContain(request.license.identifier);
      expect(info).toMatch(new RegExp(`LicenseIdentifier:\\s*${request.license.identifier.replace(/\./g, '\\.')}`));
      expect(info).toMatch(new RegExp(`LicenseTypeCode:\\s*${template.catalogue.typeCode}`));
      expect(info).toMatch(new RegExp(`HolderTypeCode:\\s*${template.catalogue.holderType === 'citizen' ? '111' : '001'}`));
      expect(info).toMatch(new RegExp(`IssuerCreditCode:\\s*${ISSUER.creditCode}`));
      expect(info).toMatch(/ValidUntil:\s*(长期|\d{4}-\d{2}-\d{2})/u);
    });

    test('the signed license is valid for pdfsig and for the strict verifier', async () => {
      expect(validators.pdfsig(signed)).toContain('Signature is Valid');
      expect((await verifier.verify(signed)).valid).toBe(true);
    });
  });

  test('a seal image configured for the department is drawn in place of the drawn seal, transparent around its disc', async () => {
    // Nothing else is printed near this template's seal, so what shows around the disc is the paper.
    const template = catalog.latest().find((t) => t.id === 'teacher-qualification') as LicenseTemplate;
    const request = requestFor(template, 98);
    const height = template.layout.page.orientation === 'portrait' ? Math.max(...pageSize(template)) : Math.min(...pageSize(template));
    const { x, y, radius } = template.layout.seal;
    const share = async (seal: RenderRequest['seal'], box: { x: number; y: number; width: number; height: number }, test: typeof isBlue) =>
      shareOfPixels(rasterize((await renderer.render({ ...request, seal })).pdf, 72), height, box, test);
    const middle = { x: x - radius * 0.6, y: y - radius * 0.6, width: radius * 1.2, height: radius * 1.2 };
    const corner = { x: x - radius, y: y + radius * 0.75, width: radius * 0.25, height: radius * 0.25 };

    const disc: RenderRequest['seal'] = { kind: 'image', png: discPng(200, 200, SEAL_BLUE) };
    expect(await share(disc, middle, isBlue)).toBeGreaterThan(0.95);
    expect(await share(disc, middle, isRed)).toBe(0);
    expect(await share(disc, corner, isInked)).toBe(0);
    // Without the image: the drawn red seal, and no blue anywhere near it.
    expect(await share(request.seal, { x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius }, isBlue)).toBe(0);
    expect(await share(request.seal, { x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius }, isRed)).toBeGreaterThan(0.08);
    // A wide image keeps its aspect ratio: fitted to the circle's width, centred, nothing in the top quarter.
    const wide: RenderRequest['seal'] = { kind: 'image', png: discPng(200, 100, SEAL_BLUE) };
    expect(await share(wide, { x: x - radius * 0.8, y: y - radius * 0.3, width: radius * 1.6, height: radius * 0.6 }, isBlue)).toBeGreaterThan(0.95);
    expect(await share(wide, { x: x - radius, y: y + radius * 0.55, width: 2 * radius, height: radius * 0.45 }, isBlue)).toBe(0);
  });

  test('regression: a damaged seal PNG handed to the renderer is refused with ERR_SEAL_IMAGE_UNUSABLE, not decoded for ever', async () => {
    const request = requestFor(catalog.latest()[0] as LicenseTemplate, 97);
    const damaged = rechunk(discPng(32, 32, SEAL_BLUE), 'IDAT', (data) => data.fill(0x55, 2));
    await expect(renderer.render({ ...request, seal: { kind: 'image', png: damaged } })).rejects.toMatchObject({ code: 'ERR_SEAL_IMAGE_UNUSABLE' });
  });

  test('a character the font cannot print is refused naming the field', async () => {
    const template = catalog.latest()[0] as LicenseTemplate;
    const request = requestFor(template, 99);
    await expect(renderer.render({ ...request, license: { ...request.license, holder: { ...request.license.holder, name: '张\u{1F600}' } } })).rejects.toMatchObject({
      code: 'ERR_RENDER_GLYPH_MISSING',
      details: { field: 'holder.name' },
    });
  });
});

function pageSize(template: LicenseTemplate): [number, number] {
  return ({ A5: [419.53, 595.28], A4: [595.28, 841.89], A3: [841.89, 1190.55] } as const)[template.layout.page.size] as unknown as [number, number];
}
