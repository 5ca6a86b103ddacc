import { buildLicenseIdentifier } from '../../src/modules/identity/index.js';
import { validateFaceFields, type LicenseTemplate, type RenderRequest } from '../../src/modules/templates/index.js';

/** One license of `template` with its example values, as the vault would ask to render it. */
export function sampleRenderRequest(template: LicenseTemplate, serial = 'B000000001'): RenderRequest {
  const identifier = buildLicenseIdentifier({ typeCode: template.catalogue.typeCode, issuerCreditCode: '11350100DEM000014R', serial, version: 1 });
  return {
    template,
    fields: validateFaceFields(template, template.example.fields),
    license: {
      identifier,
      licenseNumber: '3501002026000001',
      typeCode: template.catalogue.typeCode,
      holder: { type: template.catalogue.holderType, number: template.example.holder.id, name: template.example.holder.name },
      issuer: { name: '演示市数据管理局（开发测试）', creditCode: '11350100DEM000014R' },
      issueDate: '2026-11-21',
      validFrom: '2026-11-21',
      validUntil: null,
    },
    verificationUrl: `https://zzk.example.gov.cn/v/${identifier}?c=Q7mZ4xK2pV9sT3wN6yR8dA`,
    seal: { kind: 'drawn', departmentName: '演示市数据管理局（开发测试）' },
    signature: { fieldName: 'Signature1', signingTime: new Date(), reason: '颁发电子证照', location: '350100', signerName: '演示市数据管理局（开发测试）' },
  };
}
