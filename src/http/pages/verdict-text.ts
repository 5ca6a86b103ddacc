import type { CopySummary, FieldCheck, VerificationResult } from '../../modules/verification/index.js';

/** How each verdict reads to people, Chinese first; used by the QR page and the /verify script alike. */
export const RESULT_TEXT: Readonly<Record<VerificationResult | 'not-found', { zh: string; en: string; tone: 'good' | 'bad' | 'warn' }>> = {
  authentic: { zh: '真实有效', en: 'Authentic and in force', tone: 'good' },
  revoked: { zh: '已撤销', en: 'Revoked', tone: 'bad' },
  suspended: { zh: '已暂停', en: 'Suspended', tone: 'warn' },
  expired: { zh: '已过期', en: 'Expired', tone: 'warn' },
  superseded: { zh: '已换发（旧版本）', en: 'Superseded by a newer version', tone: 'warn' },
  tampered: { zh: '文件已被篡改', en: 'Altered or forged', tone: 'bad' },
  'untrusted-signer': { zh: '签名证书不受信任', en: 'Signed by an untrusted certificate', tone: 'bad' },
  'not-issued-here': { zh: '非本库签发', en: 'Not issued by this vault', tone: 'bad' },
  malformed: { zh: '文件无法识别', en: 'Not a readable signed license', tone: 'bad' },
  'authentic-copy': { zh: '加注件真实', en: 'An authentic annotated copy', tone: 'good' },
  'copy-expired': { zh: '加注件已过有效期', en: 'An annotated copy past its validity', tone: 'warn' },
  'not-found': { zh: '未找到该电子证照或核验码错误', en: 'No such license, or the code is wrong', tone: 'bad' },
};

/** How a field check's answer reads: a mismatch says only that the details match no license here, never which detail or whether the license exists. */
export const FIELD_CHECK_TEXT: Readonly<Record<FieldCheck['result'], { zh: string; en: string; tone: 'good' | 'bad' }>> = {
  consistent: { zh: '信息一致：与本库签发的电子证照相符', en: 'The details match a license issued by this vault', tone: 'good' },
  inconsistent: { zh: '信息不符：本库没有与所填信息相符的电子证照', en: 'The details do not match a license of this vault', tone: 'bad' },
};

/** How a license's status reads, for a copy's original. */
export const STATUS_TEXT: Readonly<Record<NonNullable<CopySummary['original']['status']>, string>> = {
  active: '有效',
  suspended: '已暂停',
  revoked: '已撤销',
  expired: '已过期',
  superseded: '已换发（旧版本）',
};

/** A copy's verdict: an authentic copy whose original is no longer in force is a warning, not good news. */
export function copyVerdictText(result: VerificationResult | 'not-found', copy: CopySummary): { zh: string; en: string; tone: 'good' | 'bad' | 'warn' } {
  const base = RESULT_TEXT[result];
  if (result !== 'authentic-copy' || copy.original.inForce !== false) return base;
  const status = copy.original.status ? STATUS_TEXT[copy.original.status] : '状态未知';
  return { zh: `加注件真实，但原件${status}，不再有效`, en: `An authentic annotated copy, but its original is ${copy.original.status ?? 'unknown'}: not in force`, tone: 'warn' };
}

/** What a copy's verdict shows of it, Chinese first: who took it, for what, until when, and its original's status. */
export function copyRows(copy: CopySummary): [string, string][] {
  const china = new Date(Date.parse(copy.madeAt) + 8 * 3_600_000).toISOString();
  return [
    ['加注件编号 Copy', copy.copyId],
    ['提供给 Provided to', copy.office.name],
    ['办理事项 Service item', copy.serviceItem],
    ['用证事由 Purpose', copy.purpose],
    ['加注时间 Made', `${china.slice(0, 10)} ${china.slice(11, 16)}（北京时间）`],
    ['有效期至 Valid until', `${copy.validUntil}${copy.expired ? '（已过期 expired）' : ''}`],
    ['原件状态 Original', copy.original.status ? STATUS_TEXT[copy.original.status] : '离线无法得知 unknown offline'],
  ];
}
