import type { HolderSignInCode } from '../../modules/holders/index.js';

/** What a holder reads when a sign-in fails: what happened and what to do, Chinese first. */
export const SIGN_IN_ERROR_TEXT: Readonly<Record<HolderSignInCode, { readonly zh: string; readonly en: string }>> = {
  ERR_HOLDER_SIGN_IN_UNAVAILABLE: {
    zh: '暂时无法登录：统一身份认证服务未配置或无法连接，请稍后再试。',
    en: 'Sign-in is unavailable: the identity platform is not configured or cannot be reached. Try again later.',
  },
  ERR_HOLDER_SIGN_IN_TRANSACTION: {
    zh: '登录已超时，或不是在本浏览器中发起的，请重新登录。',
    en: 'The sign-in took too long, or was not started in this browser. Sign in again.',
  },
  ERR_HOLDER_SIGN_IN_STATE: {
    zh: '认证结果与本浏览器发起的登录不一致，已拒绝，请重新登录。',
    en: 'The answer does not belong to the sign-in this browser started, so it was refused. Sign in again.',
  },
  ERR_HOLDER_SIGN_IN_REFUSED: {
    zh: '统一身份认证平台没有完成登录（可能已取消），请重新登录。',
    en: 'The identity platform did not sign you in (perhaps it was cancelled). Sign in again.',
  },
  ERR_HOLDER_SIGN_IN_FAILED: {
    zh: '认证结果未通过校验，已拒绝，请重新登录。',
    en: "The identity platform's answer failed validation and was refused. Sign in again.",
  },
  ERR_HOLDER_CLAIM_MISSING: {
    zh: '统一身份认证平台没有提供公民身份号码或统一社会信用代码，无法确认您的身份。请联系平台核实账号信息。',
    en: 'The identity platform gave no citizen ID number or credit code, so the vault cannot tell whose licenses to show. Ask the platform to check your account.',
  },
  ERR_HOLDER_CLAIM_INVALID: {
    zh: '统一身份认证平台提供的证件号码无效，无法登录。请联系平台核实账号信息。',
    en: 'The ID number or credit code the identity platform gave is not valid, so you cannot sign in. Ask the platform to check your account.',
  },
};

/** The page a failed sign-in shows: the reason, its stable code, and a way to start again. Server-rendered, no script. */
export function signInErrorPage(code: HolderSignInCode, requestId: string): string {
  const text = SIGN_IN_ERROR_TEXT[code];
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录失败 · Sign-in failed</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;margin:0;padding:1rem;background:#f6f6f4;color:#1a1a1a;line-height:1.55}
main{max-width:30rem;margin:auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
.bad{background:#fdecea;color:#a50e0e;border-radius:.4rem;padding:.75rem 1rem}.en{display:block;font-size:.95rem;color:#555}
.bad .en{color:inherit}a.button{display:inline-block;margin-top:.5rem;padding:.6rem 1.2rem;border-radius:.3rem;background:#0b6b2e;color:#fff;text-decoration:none}
code{word-break:break-all}
</style>
</head>
<body>
<main>
<h1>登录失败 <small>Sign-in failed</small></h1>
<p class="bad" role="alert" data-code="${code}">${text.zh}<span class="en">${text.en}</span></p>
<p>错误代码 Error code：<code>${code}</code><br>请求编号 Request id：<code>${requestId.replace(/[^A-Za-z0-9-]/g, '')}</code></p>
<p><a class="button" href="/me/sign-in">重新登录 Sign in again</a> <a href="/">返回首页 Home</a></p>
</main>
</body>
</html>
`;
}
