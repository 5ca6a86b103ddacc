/** An RFC 9457 problem as the vault answers it. */
export interface Problem {
  readonly code?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly details?: Record<string, unknown>;
}

/**
 * What a member of staff reads when something fails: plain Chinese, and what
 * to do next. Codes not listed fall back on the HTTP status.
 */
const MESSAGES: Readonly<Record<string, string>> = {
  ERR_STAFF_SIGN_IN_FAILED: '账号、密码或动态口令不正确。请核对后重试；多次失败后账号将被暂时锁定。',
  ERR_STAFF_OTP_REQUIRED: '请输入身份验证器应用中显示的 6 位动态口令。',
  ERR_STAFF_LOCKED: '登录失败次数过多，账号已被暂时锁定。请稍后再试，或联系安全管理员。',
  ERR_STAFF_ENROLMENT_INVALID: '动态口令不正确或绑定已超时。请重新登录并扫描新的二维码。',
  ERR_STAFF_SESSION_MISSING: '登录已过期，请重新登录。',
  ERR_AUTH_TOKEN_MISSING: '登录已过期，请重新登录。',
  ERR_FORBIDDEN: '您的账号没有这项操作的权限。如需办理，请联系系统管理员。',
  ERR_ORIGIN_REFUSED: '请求来源不被接受。请从工作台页面重新操作。',
  ERR_RATE_LIMITED: '操作过于频繁，请稍候一分钟再试。',
};

const BY_STATUS: Readonly<Record<number, string>> = {
  400: '提交的内容有误，请检查后重试。',
  401: '登录已过期，请重新登录。',
  403: '您的账号没有这项操作的权限。',
  404: '没有找到相应的记录。',
  409: '记录已被他人更改，请刷新后重试。',
  413: '文件过大，请拆分后重试。',
  429: '操作过于频繁，请稍候再试。',
  503: '系统繁忙，请稍后再试。',
};

/** Codes a desk explains in its own words; added to the common ones. */
export function problemMessage(problem: Problem | undefined, own: Readonly<Record<string, string>> = {}): string {
  const code = problem?.code;
  if (code && own[code]) return own[code];
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (problem?.status && BY_STATUS[problem.status]) return BY_STATUS[problem.status] as string;
  if (problem?.status && problem.status >= 500) return '系统出现故障，请稍后再试；如仍不成功，请联系系统管理员。';
  return '网络连接失败，请检查网络后重试。';
}
