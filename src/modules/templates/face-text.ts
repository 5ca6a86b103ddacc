import type { FaceFields } from './face-fields.js';
import type { RenderedLicense } from './renderer.js';
import type { LayoutItem, LicenseTemplate, SystemValue } from './template.js';
import { SYSTEM_VALUES } from './template.js';

/** 2026-11-21 → 2026年11月21日. */
export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

const SYSTEM_LABELS: Readonly<Record<SystemValue, { citizen: string; organization: string }>> = {
  'holder.name': { citizen: '姓名', organization: '名称' },
  'holder.number': { citizen: '公民身份号码', organization: '统一社会信用代码' },
  licenseNumber: { citizen: '证书编号', organization: '证书编号' },
  identifier: { citizen: '电子证照标识', organization: '电子证照标识' },
  'issuer.name': { citizen: '发证机关', organization: '发证机关' },
  issueDate: { citizen: '发证日期', organization: '发证日期' },
  validFrom: { citizen: '有效期自', organization: '有效期自' },
  validUntil: { citizen: '有效期至', organization: '有效期至' },
  validity: { citizen: '有效期限', organization: '有效期限' },
};

function isSystemValue(value: string): value is SystemValue {
  return (SYSTEM_VALUES as readonly string[]).includes(value);
}

function systemText(value: SystemValue, license: RenderedLicense): string {
  switch (value) {
    case 'holder.name':
      return license.holder.name;
    case 'holder.number':
      return license.holder.number;
    case 'licenseNumber':
      return license.licenseNumber;
    case 'identifier':
      return license.identifier;
    case 'issuer.name':
      return license.issuer.name;
    case 'issueDate':
      return chineseDate(license.issueDate);
    case 'validFrom':
      return chineseDate(license.validFrom);
    case 'validUntil':
      return license.validUntil === null ? '长期' : chineseDate(license.validUntil);
    case 'validity':
      return license.validUntil === null ? `${chineseDate(license.validFrom)}起长期有效` : `${chineseDate(license.validFrom)}至${chineseDate(license.validUntil)}`;
  }
}

/** The label and the text a layout item prints, dates written the Chinese way. */
export function itemText(item: LayoutItem, template: LicenseTemplate, license: RenderedLicense, fields: FaceFields): { label: string; text: string } {
  if (isSystemValue(item.value)) {
    return { label: item.label ?? SYSTEM_LABELS[item.value][license.holder.type], text: systemText(item.value, license) };
  }
  const field = template.fields.find((candidate) => candidate.key === item.value);
  const raw = fields[item.value];
  const text = raw === undefined ? '' : field?.type === 'date' ? chineseDate(String(raw)) : String(raw);
  return { label: item.label ?? field?.label ?? item.value, text };
}

/**
 * Breaks `text` into lines no wider than `maxWidth`: between any two CJK
 * characters, and at spaces (or anywhere, for a word wider than a line) in
 * other scripts.
 */
export function wrapText(text: string, maxWidth: number, widthOf: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const character of text) {
    const candidate = line + character;
    if (line !== '' && widthOf(candidate) > maxWidth) {
      const breakAt = /[\u3000-\u9fff\uff00-\uffef]/u.test(character) ? -1 : line.lastIndexOf(' ');
      if (breakAt > 0) {
        lines.push(line.slice(0, breakAt));
        line = line.slice(breakAt + 1) + character;
      } else {
        lines.push(line);
        line = character.trim() === '' ? '' : character;
      }
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
