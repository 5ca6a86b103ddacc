import type { AuthorizationState, HolderLicenseStatus, ShareState } from './view-models.js';

/** A label in Chinese first, then English. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** Status badges: text and a tone the stylesheet colours (never colour alone). */
export const LICENSE_STATUS_TEXT: Readonly<Record<HolderLicenseStatus, Bilingual & { readonly tone: 'good' | 'warn' | 'bad' | 'muted' }>> = {
  active: { zh: '有效', en: 'In force', tone: 'good' },
  suspended: { zh: '已暂停', en: 'Suspended', tone: 'warn' },
  revoked: { zh: '已撤销', en: 'Revoked', tone: 'bad' },
  superseded: { zh: '已换发', en: 'Superseded', tone: 'muted' },
  expired: { zh: '已过期', en: 'Expired', tone: 'muted' },
};

export const AUTHORIZATION_STATE_TEXT: Readonly<Record<AuthorizationState, Bilingual>> = {
  live: { zh: '有效', en: 'Live' },
  expired: { zh: '已过期', en: 'Expired' },
  withdrawn: { zh: '已撤销', en: 'Withdrawn' },
  'used-up': { zh: '次数已用完', en: 'Used up' },
};

export const SHARE_STATE_TEXT: Readonly<Record<ShareState, Bilingual>> = {
  live: { zh: '有效', en: 'Live' },
  expired: { zh: '已过期', en: 'Expired' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  used: { zh: '已打开（一次性）', en: 'Opened (one-time)' },
};

/** What happened, as the usage record says it: by usage kind, or by audit action for what has no kind. */
export const USAGE_KIND_TEXT: Readonly<Record<string, Bilingual>> = {
  lookup: { zh: '查询', en: 'Looked up by number' },
  redemption: { zh: '用证码核验', en: 'Code redeemed' },
  'redemption-refused': { zh: '用证码核验被拒绝', en: 'Code refused' },
  read: { zh: '读取', en: 'Read' },
  download: { zh: '下载', en: 'Downloaded' },
  copy: { zh: '加注件', en: 'Annotated copy made' },
  'share-opened': { zh: '分享打开', en: 'Share link opened' },
  'share-made': { zh: '创建分享', en: 'Share made' },
  'share-revoked': { zh: '撤销分享', en: 'Share revoked' },
  'authorization-made': { zh: '授权用证', en: 'Authorized' },
  'authorization-withdrawn': { zh: '撤销授权', en: 'Authorization withdrawn' },
  denied: { zh: '拒绝', en: 'Access denied' },
  'status-change': { zh: '状态变更', en: 'Status changed' },
  other: { zh: '其他', en: 'Other' },
  'holder.signin': { zh: '登录', en: 'Signed in' },
  'holder.signout': { zh: '退出登录', en: 'Signed out' },
  'share.open.refused': { zh: '分享链接被拒绝打开', en: 'Share link refused' },
};

export function usageKindText(kind: string): Bilingual {
  return USAGE_KIND_TEXT[kind] ?? { zh: '其他', en: kind };
}

/** The lifetimes a holder may choose, in minutes: 5 minutes to 7 days. */
export const LIFETIME_CHOICES: readonly { readonly minutes: number; readonly zh: string }[] = [
  { minutes: 5, zh: '5 分钟' },
  { minutes: 15, zh: '15 分钟' },
  { minutes: 30, zh: '30 分钟' },
  { minutes: 60, zh: '1 小时' },
  { minutes: 240, zh: '4 小时' },
  { minutes: 1440, zh: '1 天' },
  { minutes: 4320, zh: '3 天' },
  { minutes: 10080, zh: '7 天' },
];

export const DEFAULT_LIFETIME_MINUTES = 30;

/** Share links live longer: an hour to 30 days. */
export const SHARE_LIFETIME_CHOICES: readonly { readonly minutes: number; readonly zh: string }[] = [
  { minutes: 60, zh: '1 小时' },
  { minutes: 1440, zh: '1 天' },
  { minutes: 4320, zh: '3 天' },
  { minutes: 10080, zh: '7 天' },
  { minutes: 43200, zh: '30 天' },
];

export const DEFAULT_SHARE_LIFETIME_MINUTES = 10080;

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** An instant as Beijing time, `2026-12-04 16:30`; the empty string for what is not an instant. */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const shifted = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}

/** A 用证码 grouped for reading aloud and typing: `ABCD EFGH`. */
export function groupedCode(code: string): string {
  const plain = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return plain.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Plain Chinese for the errors a holder can meet on these pages; the stable code is shown beside it, small. */
const ERROR_TEXT: Readonly<Record<string, string>> = {
  ERR_REQUEST_INVALID: '填写的内容有误，请检查后重试。',
  ERR_PURPOSE_REQUIRED: '请填写用证事由：至少 4 个字，说明用途。',
  ERR_SERVICE_ITEM_REQUIRED: '请填写办理事项：至少 4 个字。',
  ERR_LICENSE_NOT_FOUND: '没有找到这份证照。',
  ERR_AUTHORIZATION_NOT_FOUND: '没有找到这项授权。',
  ERR_AUTHORIZATION_OFFICE_UNKNOWN: '所选办事机构不存在，请重新选择。',
  ERR_SHARE_NOT_FOUND: '没有找到这个分享。',
  ERR_SHARE_RECIPIENT_INVALID: '请填写分享对象：1 至 60 个字，不含尖括号等特殊字符。',
  ERR_SHARE_LIFETIME_INVALID: '请选择有效时长。',
  ERR_SHARE_LICENSES_INVALID: '请选择要分享的证照（1 至 20 份）。',
  ERR_LIFETIME_INVALID: '请选择有效时长。',
  ERR_ORIGIN_REFUSED: '请从本站页面提交。',
  ERR_HOLDER_SESSION_MISSING: '请先登录。',
  ERR_REQUEST_TOO_LARGE: '提交的内容太长。',
};

export function errorText(code: string): string {
  return ERROR_TEXT[code] ?? '操作未能完成，请稍后重试。';
}
