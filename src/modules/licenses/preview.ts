import type { Principal } from '../auth/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import type { LicenseFaceRenderer, LicenseRenderer, SealImageSource, TemplateCatalog } from '../templates/index.js';
import type { Clock } from '../../shared/clock.js';
import type { IssueCommand } from './issuance.js';
import { checkIssueCommand, departmentSeal, signingKeyOf } from './issue-check.js';
import { chinaToday } from './validity.js';

/** Printed large across every preview, so that no preview can pass for a license. */
export const PREVIEW_WATERMARK = '样张 · 预览 · 无效';
/** What a preview shows where a license has its identifier, number and QR link. */
export const PREVIEW_PLACEHOLDERS = Object.freeze({
  identifier: '样张（预览），不是电子证照',
  licenseNumber: '预览',
  qrText: '样张（预览），不是电子证照，不能核验',
});

export interface LicensePreviewDependencies {
  readonly departments: DepartmentRepository;
  readonly templates: TemplateCatalog;
  readonly renderer: LicenseRenderer;
  readonly faces: LicenseFaceRenderer;
  readonly sealImages: SealImageSource;
  readonly clock: Clock;
}

/**
 * The face of a license as issuing it would draw it, before issuing: the
 * request is checked by the same rules as an issuance (same function, same
 * error codes), then rendered by the same renderer with placeholders for the
 * identifier, number and QR link and a 样张 watermark. Nothing is numbered,
 * signed or stored.
 */
export class LicensePreview {
  constructor(private readonly deps: LicensePreviewDependencies) {}

  /** The face as a PNG image. */
  async preview(principal: Principal, command: IssueCommand): Promise<Uint8Array> {
    const { deps } = this;
    const now = deps.clock.now();
    const { department, template, holder, name, fields, validity } = await checkIssueCommand(deps, principal, command, now);
    signingKeyOf(department);
    const rendered = await deps.renderer.render({
      template,
      fields,
      license: {
        identifier: PREVIEW_PLACEHOLDERS.identifier,
        licenseNumber: PREVIEW_PLACEHOLDERS.licenseNumber,
        typeCode: template.catalogue.typeCode,
        holder: { type: holder.type, number: holder.value, name },
        issuer: { creditCode: department.creditCode, name: department.name },
        issueDate: chinaToday(now),
        ...validity,
      },
      verificationUrl: PREVIEW_PLACEHOLDERS.qrText,
      seal: await departmentSeal(department, deps.sealImages),
      signature: { fieldName: 'Preview', signingTime: now, reason: '样张预览，未签名', location: department.divisionCode, signerName: department.name },
      watermark: PREVIEW_WATERMARK,
    });
    return deps.faces.render(rendered.pdf);
  }
}
