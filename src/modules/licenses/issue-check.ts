import type { Principal } from '../auth/index.js';
import type { DepartmentRecord, DepartmentRepository } from '../departments/index.js';
import { parseHolderNumber, type HolderNumber } from '../identity/index.js';
import { validateFaceFields, type FaceFields, type LicenseTemplate, type SealImageSource, type SealSpec, type TemplateCatalog } from '../templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { LicenseError } from '../../shared/errors.js';
import { holderNameOf } from './holder-name.js';
import type { IssueCommand } from './issuance.js';
import { validityFor } from './validity.js';

/** An issuance request that passed every business rule: what issuing (or previewing) it goes on with. */
export interface CheckedIssue {
  readonly department: DepartmentRecord;
  readonly template: LicenseTemplate;
  readonly holder: HolderNumber;
  readonly name: string;
  readonly fields: FaceFields;
  readonly validity: { readonly validFrom: string; readonly validUntil: string | null };
}

export interface IssueCheckDependencies {
  readonly departments: DepartmentRepository;
  readonly templates: TemplateCatalog;
  readonly clock: Clock;
}

/** The issuer's department, if it may issue `licenseType`; else ERR_LICENSE_TYPE_NOT_ALLOWED or ERR_DEPARTMENT_CANNOT_ISSUE. */
export async function issuingDepartment(departments: DepartmentRepository, principal: Principal, licenseType: string): Promise<DepartmentRecord> {
  if (principal.role !== 'issuer' || principal.department === null) throw new LicenseError('ERR_LICENSE_TYPE_NOT_ALLOWED', 'only issuer accounts of a department issue licenses');
  const department = await departments.get(principal.department);
  if (!department) throw new LicenseError('ERR_DEPARTMENT_CANNOT_ISSUE', "the account's department no longer exists");
  if (!department.licenseTypes.includes(licenseType))
    throw new LicenseError('ERR_LICENSE_TYPE_NOT_ALLOWED', `${department.name} may not issue license type ${licenseType}`, { licenseType });
  return department;
}

/**
 * The business rules of an issuance, in the order they are checked: the
 * issuer's department and type, the holder number and its kind, the name,
 * the face fields against the template, the validity against the type's
 * rule. Issuing and previewing both go through here, so a preview refuses
 * exactly what issuing would.
 */
export async function checkIssueCommand(deps: IssueCheckDependencies, principal: Principal, command: IssueCommand, now: Date): Promise<CheckedIssue> {
  const department = await issuingDepartment(deps.departments, principal, command.licenseType);
  const template = deps.templates.forType(command.licenseType);
  const holder = parseHolderNumber(command.holder.type, command.holder.id, deps.clock);
  if (holder.type !== template.catalogue.holderType) {
    throw new LicenseError('ERR_HOLDER_TYPE_MISMATCH', `${template.catalogue.name} is issued to ${template.catalogue.holderType === 'citizen' ? 'citizens' : 'organizations'}`);
  }
  const name = holderNameOf(command.holder.name);
  const fields = validateFaceFields(template, command.fields);
  const validity = validityFor(template.catalogue.validity, command, now);
  return { department, template, holder, name, fields, validity };
}

/** The seal on a department's licenses: its `sealImage`, or the drawn seal. */
export async function departmentSeal(department: DepartmentRecord, sealImages: SealImageSource): Promise<SealSpec> {
  return department.sealImage === null ? { kind: 'drawn', departmentName: department.name } : { kind: 'image', png: await sealImages.load(department.sealImage) };
}

/** The key a department signs with (its `signingKey`), or ERR_DEPARTMENT_CANNOT_ISSUE: a department without one issues nothing. */
export function signingKeyOf(department: DepartmentRecord): string {
  if (department.signingKey === null) {
    throw new LicenseError('ERR_DEPARTMENT_CANNOT_ISSUE', `${department.name} has no signing key: set the department's signingKey`, { department: department.creditCode });
  }
  return department.signingKey;
}
