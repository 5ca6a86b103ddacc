/*
 * Registration authorities (登记管理部门代码, position 1) and organisation types
 * (机构类别代码, position 2) of the unified social credit code, GB 32100-2015
 * with its managing-code table as currently published.
 * Source: https://blog.csdn.net/lh1424573495/article/details/108776492
 * (same table at https://osuse.cn/post/10002590.html; cross-checked against
 * several independent open-source validators that encode the same 12 authorities).
 */

/** One registration authority and the organisation types it may assign. */
export interface RegistrationAuthority {
  readonly name: string;
  readonly organizationTypes: Readonly<Record<string, string>>;
}

/** Position-1 code → authority, with its position-2 codes → organisation type names. */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, RegistrationAuthority>> = Object.freeze({
  '1': {
    name: '机构编制',
    organizationTypes: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', organizationTypes: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    organizationTypes: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', organizationTypes: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', organizationTypes: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    organizationTypes: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', organizationTypes: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', organizationTypes: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', organizationTypes: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', organizationTypes: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    organizationTypes: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', organizationTypes: { '1': '其他' } },
});
