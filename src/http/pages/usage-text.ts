import type { UsageKind } from '../../modules/usage/index.js';

/** How each kind of entry in the usage record (用证记录) reads to the holder, Chinese first; `tone` marks what the holder should look at twice. */
export const USAGE_KIND_TEXT: Readonly<Record<UsageKind, { zh: string; en: string; tone: 'plain' | 'warn' }>> = {
  lookup: { zh: '按身份证件号码查询', en: 'Looked up by ID number', tone: 'plain' },
  redemption: { zh: '凭用证码调取', en: 'Used with your authorization code', tone: 'plain' },
  'redemption-refused': { zh: '用证码调取被拒绝', en: 'Authorization code refused', tone: 'warn' },
  read: { zh: '查阅证照', en: 'License viewed', tone: 'plain' },
  download: { zh: '下载证照原件', en: 'Original downloaded', tone: 'plain' },
  copy: { zh: '生成加注件', en: 'Annotated copy made', tone: 'plain' },
  'share-opened': { zh: '分享链接被打开', en: 'Share link opened', tone: 'plain' },
  'share-made': { zh: '创建分享链接', en: 'Share link made', tone: 'plain' },
  'share-revoked': { zh: '撤销分享链接', en: 'Share link withdrawn', tone: 'plain' },
  'authorization-made': { zh: '授权用证', en: 'Authorization made', tone: 'plain' },
  'authorization-withdrawn': { zh: '撤销授权', en: 'Authorization withdrawn', tone: 'plain' },
  denied: { zh: '越权访问被拒绝', en: 'Access refused', tone: 'warn' },
  'status-change': { zh: '发证机关变更证照状态', en: 'Status changed by the issuing department', tone: 'warn' },
  other: { zh: '其他用证', en: 'Other use', tone: 'plain' },
};

/** "N anonymous verifications" of one license, as the record shows it. */
export function verificationCountText(count: number): { zh: string; en: string } {
  return { zh: `匿名核验 ${count} 次`, en: `${count} anonymous verification${count === 1 ? '' : 's'}` };
}
