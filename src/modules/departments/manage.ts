import type { AuditActor, AuditLog } from '../audit/index.js';
import { isProvinceCode, isValidCreditCode, parseCreditCode } from '../identity/index.js';
import type { SealImageSource } from '../templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { AdministrationError, isVaultError, NotFoundError } from '../../shared/errors.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { DepartmentRecord, DepartmentRepository } from './department.js';

/** What a department change writes together: the department and its audit entry. */
export interface DepartmentAdministrationRepositories {
  readonly departments: DepartmentRepository;
  readonly audit: AuditLog;
}

export type DepartmentStore = UnitOfWork<DepartmentAdministrationRepositories> & Pick<DepartmentAdministrationRepositories, 'departments'>;

export interface DepartmentDependencies {
  readonly store: DepartmentStore;
  readonly clock: Clock;
  /** When given, license type codes must be ones it knows (the template catalogue). */
  readonly isKnownLicenseType?: ((typeCode: string) => boolean) | undefined;
  /** When given, a seal image must be one it can load (the seals folder): a missing or unusable image is refused when it is set, not at the next issuance. */
  readonly sealImages?: SealImageSource | undefined;
}

export interface NewDepartment {
  readonly creditCode: string;
  readonly name: string;
  readonly divisionCode: string;
  readonly licenseTypes: readonly string[];
  /** Name of its signing credential: the key store `departments/{signingKey}.p12` under the certs directory, or with a PKCS#11 token the key certified by `departments/{signingKey}.pem`; null: it cannot issue. */
  readonly signingKey?: string | null | undefined;
  /** Seal image (PNG) path relative to the seals folder (`{certs directory}/seals/`), or null for the drawn seal. */
  readonly sealImage?: string | null | undefined;
}

export interface DepartmentChanges {
  readonly name?: string | undefined;
  readonly divisionCode?: string | undefined;
  readonly licenseTypes?: readonly string[] | undefined;
  readonly signingKey?: string | null | undefined;
  readonly sealImage?: string | null | undefined;
}

export const MAX_DEPARTMENT_NAME_LENGTH = 100;
export const MAX_LICENSE_TYPES = 500;
const DIVISION_CODE = /^[0-9]{6}$/;
const NATIONAL_DIVISION = '100000';
const LICENSE_TYPE_CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
/** A department's `signingKey`: the file name of its credential in the certs directory's departments/ folder, without the extension. */
export const SIGNING_KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SEAL_IMAGE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}(\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}){0,3}\.png$/;

function invalid(field: string, message: string, extra: Record<string, unknown> = {}): AdministrationError {
  return new AdministrationError('ERR_DEPARTMENT_INVALID', `${field}: ${message}`, { field, ...extra });
}

function notFound(creditCode: string): NotFoundError {
  return new NotFoundError('ERR_DEPARTMENT_NOT_FOUND', `no department ${creditCode}`, { creditCode });
}

function checkName(value: unknown): string {
  if (typeof value !== 'string') throw invalid('name', 'must be a string');
  const name = value.trim();
  if (name.length === 0 || name.length > MAX_DEPARTMENT_NAME_LENGTH) throw invalid('name', `must have 1–${MAX_DEPARTMENT_NAME_LENGTH} characters`);
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) throw invalid('name', 'must not contain control characters');
  }
  return name;
}

function checkDivisionCode(value: unknown): string {
  const code = typeof value === 'string' ? value.trim() : '';
  if (!DIVISION_CODE.test(code) || !(code === NATIONAL_DIVISION || isProvinceCode(code.slice(0, 2)))) {
    throw invalid('divisionCode', 'must be a 6-digit administrative division code (GB/T 2260)');
  }
  return code;
}

/** Whether `code` has the GB/T 36902 shape: the defining authority's credit code and a 3-digit sequence. */
export function isLicenseTypeCode(code: string): boolean {
  return LICENSE_TYPE_CODE.test(code) && isValidCreditCode(code.slice(0, 18));
}

function checkLicenseTypes(value: unknown, isKnown: DepartmentDependencies['isKnownLicenseType']): string[] {
  if (!Array.isArray(value)) throw invalid('licenseTypes', 'must be a list of license type codes');
  if (value.length > MAX_LICENSE_TYPES) throw invalid('licenseTypes', `must have at most ${MAX_LICENSE_TYPES} entries`);
  const codes = new Set<string>();
  for (const [index, entry] of value.entries()) {
    const code = typeof entry === 'string' ? entry.trim().toUpperCase() : '';
    if (!isLicenseTypeCode(code)) throw invalid('licenseTypes', `entry ${index} is not a license type code (credit code + 3 digits)`, { index });
    if (isKnown && !isKnown(code)) throw invalid('licenseTypes', `license type ${code} is not in the catalogue`, { index, licenseType: code });
    codes.add(code);
  }
  return [...codes].sort();
}

function checkOptional(value: unknown, field: string, pattern: RegExp, message: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !pattern.test(value) || value.split('/').some((part) => part === '..' || part === '.')) throw invalid(field, message);
  return value;
}

const checkSigningKey = (value: unknown) => checkOptional(value, 'signingKey', SIGNING_KEY_NAME, 'must be a key store name: letters, digits, . _ - (no path)');
const checkSealImage = (value: unknown) => checkOptional(value, 'sealImage', SEAL_IMAGE_PATH, 'must be a relative path to a .png file, without .. segments');

/** Refuses a seal image the seals folder cannot give as a usable PNG, saying why. */
async function assertSealImageLoads(sealImages: SealImageSource | undefined, path: string | null): Promise<void> {
  if (!sealImages || path === null) return;
  try {
    await sealImages.load(path);
  } catch (error) {
    if (isVaultError(error) && error.code === 'ERR_SEAL_IMAGE_UNUSABLE') throw invalid('sealImage', error.message, { reason: error.code });
    throw error;
  }
}

/** Validates and normalises a new department. */
export function prepareDepartment(input: NewDepartment, now: Date, isKnownLicenseType?: DepartmentDependencies['isKnownLicenseType']): DepartmentRecord {
  const at = now.toISOString();
  const creditCode = parseCreditCode(input.creditCode).value;
  return {
    creditCode,
    name: checkName(input.name),
    divisionCode: checkDivisionCode(input.divisionCode),
    licenseTypes: checkLicenseTypes(input.licenseTypes, isKnownLicenseType),
    // Unsaid, a department signs with the key `pki department` makes for its credit code; null says it has none yet.
    signingKey: input.signingKey === undefined ? creditCode : checkSigningKey(input.signingKey),
    sealImage: checkSealImage(input.sealImage),
    createdAt: at,
    updatedAt: at,
  };
}

function describe(record: DepartmentRecord): Record<string, unknown> {
  return { name: record.name, divisionCode: record.divisionCode, licenseTypes: record.licenseTypes, signingKey: record.signingKey, sealImage: record.sealImage };
}

/** Inserts a prepared department inside `tx`, with its audit entry. */
export async function insertDepartment(tx: DepartmentAdministrationRepositories, record: DepartmentRecord, actor: AuditActor): Promise<void> {
  const exists = () => new AdministrationError('ERR_DEPARTMENT_EXISTS', `department ${record.creditCode} already exists`, { creditCode: record.creditCode });
  if (await tx.departments.get(record.creditCode)) throw exists();
  try {
    await tx.departments.insert(record);
  } catch (error) {
    if (isVaultError(error) && error.code === 'ERR_STORE_DUPLICATE') throw exists();
    throw error;
  }
  await tx.audit.append({ at: record.createdAt, actor, action: 'department.create', target: record.creditCode, details: { before: null, after: describe(record) } });
}

export async function createDepartment(deps: DepartmentDependencies, actor: AuditActor, input: NewDepartment): Promise<DepartmentRecord> {
  const record = prepareDepartment(input, deps.clock.now(), deps.isKnownLicenseType);
  await assertSealImageLoads(deps.sealImages, record.sealImage);
  await deps.store.transaction((tx) => insertDepartment(tx, record, actor));
  return record;
}

/** Changes the given fields; audits what changed (from → to) and the whole department before and after. No change, no write. */
export async function updateDepartment(deps: DepartmentDependencies, actor: AuditActor, creditCode: string, changes: DepartmentChanges): Promise<DepartmentRecord> {
  const code = parseCreditCode(creditCode).value;
  const wanted: Partial<Record<keyof DepartmentChanges, unknown>> = {};
  if (changes.name !== undefined) wanted.name = checkName(changes.name);
  if (changes.divisionCode !== undefined) wanted.divisionCode = checkDivisionCode(changes.divisionCode);
  if (changes.licenseTypes !== undefined) wanted.licenseTypes = checkLicenseTypes(changes.licenseTypes, deps.isKnownLicenseType);
  if (changes.signingKey !== undefined) wanted.signingKey = checkSigningKey(changes.signingKey);
  if (changes.sealImage !== undefined) {
    const sealImage = checkSealImage(changes.sealImage);
    await assertSealImageLoads(deps.sealImages, sealImage);
    wanted.sealImage = sealImage;
  }
  return deps.store.transaction(async (tx) => {
    const current = await tx.departments.get(code);
    if (!current) throw notFound(code);
    const details: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(wanted) as [keyof DepartmentChanges, unknown][]) {
      if (JSON.stringify(current[field]) !== JSON.stringify(value)) details[field] = { from: current[field], to: value };
    }
    if (Object.keys(details).length === 0) return current;
    const at = deps.clock.now().toISOString();
    const next = { ...current, ...wanted, updatedAt: at } as DepartmentRecord;
    await tx.departments.update(next);
    await tx.audit.append({ at, actor, action: 'department.update', target: code, details: { ...details, before: describe(current), after: describe(next) } });
    return next;
  });
}

export async function getDepartment(deps: Pick<DepartmentDependencies, 'store'>, creditCode: string): Promise<DepartmentRecord> {
  const code = parseCreditCode(creditCode).value;
  const record = await deps.store.departments.get(code);
  if (!record) throw notFound(code);
  return record;
}

/** Every department, ordered by credit code. */
export async function listDepartments(deps: Pick<DepartmentDependencies, 'store'>): Promise<readonly DepartmentRecord[]> {
  return deps.store.departments.list();
}
