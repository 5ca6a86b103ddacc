import QRCode from 'qrcode';
import {
  authorizationResultPage,
  authorizationsPage,
  authorizePage,
  EMPTY_AUTHORIZE_FORM,
  EMPTY_SHARE_FORM,
  licensePage,
  licensesPage,
  messagePage,
  sharePage,
  shareResultPage,
  sharesPage,
  usagePage,
  welcomePage,
  type AuthorizationItem,
  type LicenseCard,
  type LicenseDetail,
  type ShareItem,
  type SignedInHolder,
  type UsageItem,
} from '../../src/http/pages/holder/index.js';

/** Fixture data for the holder pages: 李秀英 and three licenses in the three states a holder meets most. */
export const HOLDER: SignedInHolder = { name: '李秀英', maskedNumber: '110105********002X' };

export const LICENSES: readonly LicenseCard[] = [
  {
    identifier: '1.2.156.3005.2.11100000000013338W032.11350100MB0123456X.2026000123.001.K',
    typeName: '教师资格证书',
    licenseNumber: '20263501122000123',
    issuerName: '福州市教育局',
    status: 'active',
    validFrom: '2026-01-05',
    validUntil: null,
    version: 1,
  },
  {
    identifier: '1.2.156.3005.2.11100000000013338W045.11350100MB0123456X.2026000007.002.Q',
    typeName: '机动车驾驶证',
    licenseNumber: '350102194912310020',
    issuerName: '福州市公安局交通警察支队车辆管理所',
    status: 'suspended',
    validFrom: '2020-03-01',
    validUntil: '2030-03-01',
    version: 2,
  },
  {
    identifier: '1.2.156.3005.2.11100000000013338W051.11350100MB0123456X.2019000042.001.7',
    typeName: '食品经营许可证',
    licenseNumber: 'JY13501020012345',
    issuerName: '福州市市场监督管理局',
    status: 'expired',
    validFrom: '2019-06-01',
    validUntil: '2024-05-31',
    version: 1,
  },
];

export const DETAIL: LicenseDetail = {
  ...(LICENSES[0] as LicenseCard),
  issuedAt: '2026-01-05T02:30:00.000Z',
  fields: [
    { label: '姓名', value: '李秀英' },
    { label: '性别', value: '女' },
    { label: '资格种类', value: '高级中学教师资格' },
    { label: '任教学科', value: '语文' },
  ],
  faceUrl:
    'data:image/svg+xml,' +
    encodeURIComponent(
      '<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842"><rect width="595" height="842" fill="#fffdf5" stroke="#b22" stroke-width="8"/><text x="297" y="120" font-size="40" text-anchor="middle">教师资格证书</text></svg>',
    ),
  originalUrl: '/api/v1/me/licenses/x/original.pdf',
};

export const AUTHORIZATIONS: readonly AuthorizationItem[] = [
  {
    id: 'a1',
    codeHint: 'K7',
    state: 'live',
    covers: ['教师资格证书 20263501122000123'],
    officeName: '福州市鼓楼区教育局',
    serviceItem: '新生入学登记',
    purpose: '核验监护人身份与教师资格',
    createdAt: '2026-12-04T08:00:00.000Z',
    expiresAt: '2026-12-04T08:30:00.000Z',
    usesAllowed: 1,
    usesLeft: 1,
  },
  {
    id: 'a2',
    codeHint: 'P3',
    state: 'live',
    covers: ['教师资格证书 20263501122000123', '机动车驾驶证 350102194912310020'],
    officeName: null,
    serviceItem: '人才引进申报',
    purpose: '申报高层次人才认定',
    createdAt: '2026-12-03T01:00:00.000Z',
    expiresAt: '2026-12-10T01:00:00.000Z',
    usesAllowed: 10,
    usesLeft: 7,
  },
  {
    id: 'a3',
    codeHint: 'ZX',
    state: 'withdrawn',
    covers: ['食品经营许可证 JY13501020012345'],
    officeName: '福州市市场监督管理局',
    serviceItem: '食品经营许可延续',
    purpose: '延续食品经营许可',
    createdAt: '2026-12-01T01:00:00.000Z',
    expiresAt: '2026-12-01T01:30:00.000Z',
    usesAllowed: 1,
    usesLeft: 1,
  },
];

export const USAGE: readonly UsageItem[] = [
  {
    at: '2026-12-04T08:05:12.000Z',
    kind: 'redemption',
    departmentName: '福州市鼓楼区教育局',
    clerk: 'gul***k1',
    serviceItem: '新生入学登记',
    purpose: '核验监护人身份与教师资格',
    licenses: ['教师资格证书 20263501122000123'],
    recipient: null,
    repeated: 1,
  },
  {
    at: '2026-12-04T08:05:13.000Z',
    kind: 'copy',
    departmentName: '福州市鼓楼区教育局',
    clerk: 'gul***k1',
    serviceItem: '新生入学登记',
    purpose: '核验监护人身份与教师资格',
    licenses: ['教师资格证书 20263501122000123'],
    recipient: null,
    repeated: 1,
  },
  {
    at: '2026-12-03T02:11:00.000Z',
    kind: 'lookup',
    departmentName: '福州市人力资源和社会保障局',
    clerk: 'hrs***01',
    serviceItem: '社会保障卡申领',
    purpose: '核对申领人身份',
    licenses: [],
    recipient: null,
    repeated: 1,
  },
  {
    at: '2026-12-02T12:40:00.000Z',
    kind: 'share-opened',
    departmentName: null,
    clerk: null,
    serviceItem: null,
    purpose: '办理个人贷款',
    licenses: ['教师资格证书 20263501122000123'],
    recipient: '中国工商银行福州分行',
    repeated: 1,
  },
  {
    at: '2026-12-01T03:00:00.000Z',
    kind: 'denied',
    departmentName: '某某区政务服务中心',
    clerk: 'win***07',
    serviceItem: null,
    purpose: null,
    licenses: [],
    recipient: null,
    repeated: 3,
  },
];

export const SHARES: readonly ShareItem[] = [
  {
    id: 's1',
    state: 'live',
    covers: ['教师资格证书 20263501122000123'],
    recipient: '中国工商银行福州分行',
    purpose: '办理个人贷款',
    createdAt: '2026-12-02T12:00:00.000Z',
    expiresAt: '2026-12-05T12:00:00.000Z',
    oneTime: false,
    opens: 1,
  },
  {
    id: 's2',
    state: 'used',
    covers: ['机动车驾驶证 350102194912310020'],
    recipient: '福建某某物流有限公司',
    purpose: '应聘驾驶员岗位',
    createdAt: '2026-11-30T12:00:00.000Z',
    expiresAt: '2026-12-07T12:00:00.000Z',
    oneTime: true,
    opens: 1,
  },
];

const SHARE_URL = 'http://vault.example/s/1oM3tZ7cQ9xWbVfYkN4pR2sLd8hJ6gTa';

/** Every holder page rendered from the fixtures, by a name for the screenshot's file. */
export async function renderedHolderPages(): Promise<Record<string, string>> {
  const codeQr = await QRCode.toString('ABCDEF23', { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  const shareQr = await QRCode.toString(SHARE_URL, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return {
    welcome: welcomePage(),
    licenses: licensesPage(HOLDER, LICENSES),
    'licenses-empty': licensesPage(HOLDER, []),
    license: licensePage(HOLDER, DETAIL),
    authorize: authorizePage(HOLDER, LICENSES, [{ creditCode: '11350102MB0000000A', name: '福州市鼓楼区教育局' }], { ...EMPTY_AUTHORIZE_FORM, licenses: [DETAIL.identifier] }),
    'authorize-error': authorizePage(HOLDER, LICENSES, [], { ...EMPTY_AUTHORIZE_FORM, purpose: 'ab' }, 'ERR_PURPOSE_REQUIRED'),
    'authorization-code': authorizationResultPage(HOLDER, { authorization: AUTHORIZATIONS[0] as AuthorizationItem, code: 'ABCD-EF23', qrSvg: codeQr }, '已生成用证码。'),
    authorizations: authorizationsPage(HOLDER, AUTHORIZATIONS, '已撤销授权。'),
    usage: usagePage(HOLDER, {
      items: USAGE,
      nextCursor: 'c2',
      paged: false,
      verifications: LICENSES.map((l, i) => ({ license: `${l.typeName} ${l.licenseNumber}`, count: [12, 0, 3][i] ?? 0 })),
    }),
    share: sharePage(HOLDER, LICENSES, { ...EMPTY_SHARE_FORM, licenses: [DETAIL.identifier] }),
    'share-link': shareResultPage(HOLDER, { share: SHARES[0] as ShareItem, url: SHARE_URL, qrSvg: shareQr }, '已生成分享链接。'),
    shares: sharesPage(HOLDER, SHARES),
    'not-found': messagePage(HOLDER, '没有找到证照', '这份证照不存在，或不在您名下。', 'ERR_LICENSE_NOT_FOUND'),
  };
}
