import type { CatalogueEntry, FaceField } from './catalogue.js';

/** What each rule of the holder number says when it is broken, in plain Chinese. */
const HOLDER_NUMBER_MESSAGES: Readonly<Record<string, string>> = {
  ERR_CITIZEN_ID_NOT_STRING: '请填写公民身份号码。',
  ERR_CITIZEN_ID_LENGTH: '公民身份号码应为 18 位（旧号码为 15 位），请核对位数。',
  ERR_CITIZEN_ID_CHARSET: '公民身份号码只能由数字组成，最后一位可以是 X。',
  ERR_CITIZEN_ID_DIVISION: '公民身份号码前 6 位不是有效的行政区划代码，请核对。',
  ERR_CITIZEN_ID_BIRTH_DATE: '公民身份号码中的出生日期不存在或晚于今天，请核对第 7–14 位。',
  ERR_CITIZEN_ID_CHECKSUM: '公民身份号码校验位不符，号码可能有误，请对照证件逐位核对。',
  ERR_CREDIT_CODE_NOT_STRING: '请填写统一社会信用代码。',
  ERR_CREDIT_CODE_LENGTH: '统一社会信用代码应为 18 位，请核对位数。',
  ERR_CREDIT_CODE_CHARSET: '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）。',
  ERR_CREDIT_CODE_AUTHORITY: '统一社会信用代码第 1 位（登记管理部门）不正确，请核对。',
  ERR_CREDIT_CODE_ORG_TYPE: '统一社会信用代码第 2 位（机构类别）不正确，请核对。',
  ERR_CREDIT_CODE_DIVISION: '统一社会信用代码第 3–8 位不是有效的行政区划代码，请核对。',
  ERR_CREDIT_CODE_ORG_CHECK: '统一社会信用代码中的组织机构代码校验不符，请核对第 9–17 位。',
  ERR_CREDIT_CODE_CHECKSUM: '统一社会信用代码校验位不符，代码可能有误，请对照执照逐位核对。',
  ERR_HOLDER_TYPE: '持证主体类型不正确。',
  ERR_HOLDER_TYPE_MISMATCH: '持证主体类型与证照类型不符。',
  ERR_HOLDER_ID_AMBIGUOUS: '该号码既可能是身份证号也可能是信用代码，请选择持证主体类型。',
};

export function holderNumberMessage(code: string, label: string): string {
  return HOLDER_NUMBER_MESSAGES[code] ?? `${label}不正确，请核对。`;
}

export const HOLDER_NAME_MESSAGE = '请填写 1–100 个字，不能含有 < > 或不可见字符。';

/** What a face field's broken rule says, naming the field and, where the template has one, an example. */
export function fieldMessage(code: string, field: FaceField | undefined, example: string | number | undefined): string {
  const label = field?.label ?? '该项';
  const like = example === undefined || example === '' ? '' : `，例如：${example}`;
  switch (code) {
    case 'ERR_FIELD_REQUIRED':
      return field?.type === 'enum' || field?.type === 'date' ? `请选择${label}。` : `请填写${label}。`;
    case 'ERR_FIELD_ENUM':
      return `请从列表中选择${label}。`;
    case 'ERR_FIELD_DATE':
      return `${label}不是有效的日期，请用日期选择器选择。`;
    case 'ERR_FIELD_TOO_LONG':
      return `${label}最多 ${field?.maxLength ?? ''} 个字，请精简。`;
    case 'ERR_FIELD_PATTERN':
      return `${label}的格式不正确${like}。`;
    case 'ERR_FIELD_NUMBER':
      return `${label}应为 ${field?.min ?? '不限'} 至 ${field?.max ?? '不限'} 之间的数字。`;
    case 'ERR_FIELD_TYPE':
      return `${label}的内容不正确（不能含有控制字符）${like}。`;
    case 'ERR_FIELD_UNKNOWN':
      return `此类证照没有“${label}”这一项。`;
    default:
      return `${label}不正确${like}。`;
  }
}

/** What is wrong with the validity dates, for the type's rule. */
export function validityMessage(validity: CatalogueEntry['validity']): string {
  switch (validity.kind) {
    case 'permanent':
      return '此类证照长期有效，无需填写有效期至。';
    case 'fixed-term':
      return `有效期至不能早于有效期自，且不能超过 ${validity.years} 年。`;
    case 'until-date':
      return '请选择有效期至，且不能早于有效期自。';
  }
}
