/** The development provider's own pages: Chinese first, usable at 360 px, no script. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;margin:0;padding:1rem;background:#f6f6f4;color:#1a1a1a;line-height:1.5}
main{max-width:26rem;margin:auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin:0 0 .25rem}.en{display:block;font-size:.9rem;font-weight:400;color:#555}
.note{background:#fff4e5;color:#8a4b00;border-radius:.4rem;padding:.5rem .75rem;font-size:.9rem}
.error{background:#fdecea;color:#a50e0e;border-radius:.4rem;padding:.5rem .75rem}
form{display:grid;gap:.75rem;margin-top:1rem}label{display:grid;gap:.25rem;font-weight:600}
input{font:inherit;font-size:1rem;padding:.6rem .6rem;border:1px solid #999;border-radius:.3rem;width:100%;box-sizing:border-box}
button{font:inherit;font-size:1.05rem;padding:.7rem 1rem;border:0;border-radius:.3rem;background:#0b6b2e;color:#fff;cursor:pointer}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>
${STYLE}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The sign-in form: 证件号码 and 密码, button 登录; `failed` adds the message for a wrong number or password. */
export function loginPage(action: string, options: { readonly failed: boolean }): string {
  const error = options.failed
    ? `<p class="error" role="alert">证件号码或密码不正确，请重新输入。<span class="en">The ID number or password is wrong; try again.</span></p>\n`
    : '';
  return page(
    '统一身份认证（开发用） · Sign in (development)',
    `<h1>统一身份认证 <span class="en">Sign in</span></h1>
<p class="note">这是电子证照库自带的开发用身份认证服务，演示账号见 demo-credentials.json。<span class="en">The vault's development identity provider; demo holders are in demo-credentials.json.</span></p>
${error}<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="number">证件号码<span class="en">ID number or unified social credit code</span></label>
<input id="number" name="number" required maxlength="40" autocapitalize="characters" spellcheck="false" aria-label="证件号码">
<label for="password">密码<span class="en">Password</span></label>
<input id="password" name="password" type="password" required maxlength="200" aria-label="密码">
<button type="submit">登录</button>
</form>`,
  );
}

/** Any error of the protocol (a bad request, an unknown client, an expired interaction): the OAuth error code only. */
export function errorPage(error: string): string {
  return page(
    '认证出错 · Sign-in error',
    `<h1>认证出错 <span class="en">Sign-in error</span></h1>
<p class="error" role="alert">身份认证请求无效或已过期，请返回电子证照库重新登录。<span class="en">The sign-in request is invalid or has expired: go back to the vault and sign in again.</span></p>
<p>错误代码 Error: <code>${escapeHtml(error)}</code></p>
<p><a href="/me/sign-in">重新登录 Sign in again</a></p>`,
  );
}
