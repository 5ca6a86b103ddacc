import type { FieldCheck, VerificationResult } from '../../modules/verification/index.js';

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
  'not-found': { zh: '未找到该电子证照或核验码错误', en: 'No such license, or the code is wrong', tone: 'bad' },
};

/** How a field check's answer reads: a mismatch says only that the details match no license here, never which detail or whether the license exists. */
export const FIELD_CHECK_TEXT: Readonly<Record<FieldCheck['result'], { zh: string; en: string; tone: 'good' | 'bad' }>> = {
  consistent: { zh: '信息一致：与本库签发的电子证照相符', en: 'The details match a license issued by this vault', tone: 'good' },
  inconsistent: { zh: '信息不符：本库没有与所填信息相符的电子证照', en: 'The details do not match a license of this vault', tone: 'bad' },
};
