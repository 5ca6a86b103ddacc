import { TemplateError } from '../../shared/errors.js';
import type { LicenseTemplate, TemplateField } from './template.js';

/** A face field value (扩展业务信息), as validated against the template. */
export type FieldValue = string | number;

/** Face field values after validation: only the template's keys, normalised, empty optional fields left out. */
export type FaceFields = Readonly<Record<string, FieldValue>>;

interface Problem {
  readonly field: string;
  readonly code: TemplateError['code'];
  readonly message: string;
}

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is an existing calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function check(field: FaceFieldRule, raw: unknown): { value?: FieldValue; problem?: Omit<Problem, 'field'> } {
  if (field.type === 'number') {
    if (typeof raw !== 'number') return { problem: { code: 'ERR_FIELD_TYPE', message: `${field.key} must be a number` } };
    if (!Number.isFinite(raw) || (field.min !== undefined && raw < field.min) || (field.max !== undefined && raw > field.max)) {
      return { problem: { code: 'ERR_FIELD_NUMBER', message: `${field.key} must be a number from ${field.min ?? '-∞'} to ${field.max ?? '∞'}` } };
    }
    return { value: raw };
  }
  if (typeof raw !== 'string') return { problem: { code: 'ERR_FIELD_TYPE', message: `${field.key} must be a string` } };
  const value = raw.trim().normalize('NFC');
  if (CONTROL.test(value)) return { problem: { code: 'ERR_FIELD_TYPE', message: `${field.key} must not contain control characters` } };
  switch (field.type) {
    case 'enum':
      return field.values?.includes(value) ? { value } : { problem: { code: 'ERR_FIELD_ENUM', message: `${field.key} must be one of ${field.values?.join('、') ?? ''}` } };
    case 'date':
      return isIsoDate(value) ? { value } : { problem: { code: 'ERR_FIELD_DATE', message: `${field.key} must be a date written YYYY-MM-DD` } };
    case 'string': {
      const length = [...value].length;
      if (field.maxLength !== undefined && length > field.maxLength) return { problem: { code: 'ERR_FIELD_TOO_LONG', message: `${field.key} has ${length} characters, at most ${field.maxLength} allowed` } };
      if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) return { problem: { code: 'ERR_FIELD_PATTERN', message: `${field.key} does not match the required pattern` } };
      return { value };
    }
  }
}

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** What checking face fields needs of a template: its fields and its name (the console has these from the catalogue). */
export interface FaceFieldSchema {
  readonly catalogue: Pick<LicenseTemplate['catalogue'], 'name'>;
  readonly fields: readonly FaceFieldRule[];
}

/** One field's rules, as the template and the catalogue both give them. */
export type FaceFieldRule = Readonly<Omit<TemplateField, 'values'>> & { readonly values?: readonly string[] | undefined };

/**
 * Checks face field values against a template. Throws a TemplateError whose
 * code is the first problem's and whose details name its field and list every
 * problem found, so a client can fix them all at once.
 */
export function validateFaceFields(template: FaceFieldSchema, input: unknown): FaceFields {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new TemplateError('ERR_FIELDS_NOT_OBJECT');
  const given = input as Record<string, unknown>;
  const known = new Map(template.fields.map((field) => [field.key, field]));
  const problems: Problem[] = Object.keys(given)
    .filter((key) => !known.has(key))
    .map((key) => ({ field: key, code: 'ERR_FIELD_UNKNOWN', message: `${template.catalogue.name} has no field ${key}` }));
  const values: Record<string, FieldValue> = {};
  for (const field of template.fields) {
    const raw = Object.hasOwn(given, field.key) ? given[field.key] : undefined;
    if (isBlank(raw)) {
      if (field.required) problems.push({ field: field.key, code: 'ERR_FIELD_REQUIRED', message: `${field.key} (${field.label}) is required` });
      continue;
    }
    const { value, problem } = check(field, raw);
    if (problem) problems.push({ field: field.key, ...problem });
    else if (value !== undefined) values[field.key] = value;
  }
  const [first] = problems;
  if (first) throw new TemplateError(first.code, first.message, { field: first.field, problems });
  return values;
}
