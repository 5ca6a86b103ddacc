/** What the window clerk reads when something fails at the desk: plain Chinese, and what to do next. */
export const CLERK_MESSAGES: Readonly<Record<string, string>> = {
  ERR_AUTHORIZATION_CODE_MALFORMED: '用证码格式不对：应为 8 位字母和数字（不含 I、L、O、U）。请核对持证人手机上显示的用证码后重新输入。',
  ERR_AUTHORIZATION_UNKNOWN: '没有找到这个用证码。请核对后重新输入；如仍不成功，请持证人在“我的证照”中重新生成用证码。',
  ERR_AUTHORIZATION_EXPIRED: '这个用证码已过期。请持证人在“我的证照”中重新授权，生成新的用证码。',
  ERR_AUTHORIZATION_WITHDRAWN: '持证人已撤回这项授权。如仍需办理，请持证人重新授权。',
  ERR_AUTHORIZATION_USED_UP: '这个用证码的使用次数已用完。请持证人重新生成用证码。',
  ERR_AUTHORIZATION_WRONG_OFFICE: '这个用证码是授权给其他办事单位的，本窗口不能调取。请持证人重新授权给本单位，或授权给“任意单位”。',
  ERR_AUTHORIZATION_REDEEM_LOCKED: '输错用证码的次数过多，调取已被暂时锁定。请稍后再试，并仔细核对用证码。',
  ERR_LOOKUP_NEEDS_CONSENT: '本库要求经持证人授权后才能查看证照。请持证人出示用证码，在“用证码调取”中调取。',
  ERR_PURPOSE_REQUIRED: '请填写用证事由：至少 4 个字，说明为办理什么而用证（如“办理入学登记”）。',
  ERR_SERVICE_ITEM_REQUIRED: '请填写办理事项：至少 2 个字（如“义务教育入学登记”）。',
  ERR_COPY_ORIGINAL_NOT_IN_FORCE: '这本证照现在不在有效状态（已暂停、注销、过期或已换发），不能出具加注件。请持证人向发证部门咨询。',
  ERR_LICENSE_NOT_FOUND: '没有找到这本证照，它可能已被换发。请重新查询或调取。',
  ERR_HOLDER_ID_AMBIGUOUS: '这个号码既像身份证号又像统一社会信用代码，请核对后重新输入。',
  ERR_RATE_LIMITED: '查询过于频繁，请稍候一分钟再试。',
  ERR_STAFF_SESSION_MISSING: '登录已过期，请重新登录后再办理。',
};

/** What the browser says of an ID number before it is sent: the same rules the vault applies. */
export const HOLDER_NUMBER_MESSAGES: Readonly<Record<string, string>> = {
  ERR_CITIZEN_ID_LENGTH: '身份证号应为 18 位（旧号 15 位），请核对位数。',
  ERR_CITIZEN_ID_CHARSET: '身份证号只能是数字，最后一位可以是 X。',
  ERR_CITIZEN_ID_DIVISION: '身份证号前两位的地区代码不存在，请核对。',
  ERR_CITIZEN_ID_BIRTH_DATE: '身份证号中的出生日期不存在或晚于今天，请核对。',
  ERR_CITIZEN_ID_CHECKSUM: '身份证号校验位不对，可能有一位输错了，请逐位核对。',
  ERR_CREDIT_CODE_LENGTH: '统一社会信用代码应为 18 位，请核对位数。',
  ERR_CREDIT_CODE_CHARSET: '统一社会信用代码只含数字和大写字母（不含 I、O、S、V、Z）。',
  ERR_CREDIT_CODE_AUTHORITY: '统一社会信用代码第 1 位（登记管理部门）不对，请核对。',
  ERR_CREDIT_CODE_ORG_TYPE: '统一社会信用代码第 2 位（机构类别）不对，请核对。',
  ERR_CREDIT_CODE_DIVISION: '统一社会信用代码中的地区代码不存在，请核对。',
  ERR_CREDIT_CODE_ORG_CHECK: '统一社会信用代码中的组织机构代码校验不对，请逐位核对。',
  ERR_CREDIT_CODE_CHECKSUM: '统一社会信用代码校验位不对，可能有一位输错了，请逐位核对。',
};
