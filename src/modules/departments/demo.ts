import { creditCodeCheckChar, organizationCodeCheckChar } from '../identity/index.js';

function demoCreditCode(): string {
  // 1 机构编制 / 1 机关, division 350100 (Fuzhou), organisation code body DEMO0001 with its GB 11714 check.
  const organizationBody = 'DEM00001';
  const first17 = `11350100${organizationBody}${organizationCodeCheckChar(organizationBody)}`;
  return first17 + creditCodeCheckChar(first17);
}

/** The department the development set-up creates, allowed to issue every template. Never used in production. */
export const DEMO_DEPARTMENT = Object.freeze({
  creditCode: demoCreditCode(),
  name: '演示市数据管理局（开发测试）',
  divisionCode: '350100',
});
