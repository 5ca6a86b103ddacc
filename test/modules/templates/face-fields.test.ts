import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LicenseTemplate, validateFaceFields, wrapText, chineseDate } from '../../../src/modules/templates/index.js';

const teacher = LicenseTemplate.parse(JSON.parse(readFileSync(join(__dirname, '../../../templates/teacher-qualification/v1.json'), 'utf8')));
const valid = { sex: '女', ethnicity: '汉族', birthDate: '1949-12-31', qualificationType: '高级中学教师资格', subject: '数学' };

function problem(input: unknown) {
  try {
    validateFaceFields(teacher, input);
  } catch (error) {
    return error as { code: string; details: { field: string; problems: { field: string; code: string }[] } };
  }
  throw new Error('expected a rejection');
}

describe('validateFaceFields', () => {
  test('valid values come back trimmed and NFC-normalised; blank optional fields are left out', () => {
    expect(validateFaceFields(teacher, { ...valid, subject: '  数学 ', ethnicity: '' })).toEqual({ sex: '女', birthDate: '1949-12-31', qualificationType: '高级中学教师资格', subject: '数学' });
  });

  test.each([
    ['a missing required field', { ...valid, sex: undefined }, 'ERR_FIELD_REQUIRED', 'sex'],
    ['a blank required field', { ...valid, subject: '   ' }, 'ERR_FIELD_REQUIRED', 'subject'],
    ['a value too long', { ...valid, subject: '数'.repeat(21) }, 'ERR_FIELD_TOO_LONG', 'subject'],
    ['an unknown enum value', { ...valid, qualificationType: '大学教师资格' }, 'ERR_FIELD_ENUM', 'qualificationType'],
    ['a malformed date', { ...valid, birthDate: '1949/12/31' }, 'ERR_FIELD_DATE', 'birthDate'],
    ['an impossible date', { ...valid, birthDate: '1949-02-30' }, 'ERR_FIELD_DATE', 'birthDate'],
    ['an unknown field', { ...valid, salary: '100' }, 'ERR_FIELD_UNKNOWN', 'salary'],
    ['a pattern mismatch', { ...valid, ethnicity: 'Han' }, 'ERR_FIELD_PATTERN', 'ethnicity'],
    ['a number where text is expected', { ...valid, subject: 42 }, 'ERR_FIELD_TYPE', 'subject'],
    ['a control character', { ...valid, subject: '数\u0000学' }, 'ERR_FIELD_TYPE', 'subject'],
  ])('%s is rejected with a code naming the field', (_name, input, code, field) => {
    expect(problem(input)).toMatchObject({ code, details: { field } });
  });

  test('every problem is listed, the first one gives the code', () => {
    const error = problem({ sex: '未知', birthDate: 'x', extra: 1 });
    expect(error.code).toBe('ERR_FIELD_UNKNOWN');
    expect(error.details.problems.map((p) => `${p.field}:${p.code}`)).toEqual(['extra:ERR_FIELD_UNKNOWN', 'sex:ERR_FIELD_ENUM', 'birthDate:ERR_FIELD_DATE', 'qualificationType:ERR_FIELD_REQUIRED', 'subject:ERR_FIELD_REQUIRED']);
  });

  test.each([null, [], 'text', 3])('%j is not a fields object', (input) => {
    expect(() => validateFaceFields(teacher, input)).toThrow(expect.objectContaining({ code: 'ERR_FIELDS_NOT_OBJECT' }) as Error);
  });
});

describe('face text', () => {
  test('dates are written the Chinese way', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
  });

  test('wraps CJK between any two characters and Latin at spaces', () => {
    const width = (text: string) => [...text].length;
    expect(wrapText('一二三四五六七', 3, width)).toEqual(['一二三', '四五六', '七']);
    expect(wrapText('alpha beta gamma', 11, width)).toEqual(['alpha beta', 'gamma']);
    expect(wrapText('', 3, width)).toEqual([]);
  });
});
