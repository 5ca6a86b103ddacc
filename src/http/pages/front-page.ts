/** A link on the front page: where it goes, and what it is called in Chinese and in English. */
export interface FrontPageLink {
  readonly href: string;
  readonly zh: string;
  readonly en: string;
  /** One line on what is there, in Chinese then English. */
  readonly about: { readonly zh: string; readonly en: string };
  /** Saved as this file name rather than opened. */
  readonly download?: string;
}

/** What anyone may open without an account. */
export const PUBLIC_LINKS: readonly FrontPageLink[] = [
  {
    href: '/verify',
    zh: '核验电子证照',
    en: 'Verify a license',
    about: {
      zh: '上传证照 PDF 文件，查看真伪、状态和每一项检查；只有纸质件时，核对证照编号与持证主体。',
      en: 'Upload a license PDF to see whether it is genuine and in force, each check explained; with only paper, check its number and holder.',
    },
  },
  {
    href: '/docs',
    zh: '接口文档',
    en: 'API reference',
    about: { zh: '发证、查证、核验和审计接口的交互式说明。', en: 'The interactive reference for issuing, looking up, verifying and auditing.' },
  },
  {
    href: '/api/openapi.json',
    zh: 'OpenAPI 接口描述',
    en: 'OpenAPI document',
    about: { zh: '供程序读取的接口描述（OpenAPI 3.1，JSON）。', en: 'The machine-readable API description (OpenAPI 3.1, JSON).' },
  },
  {
    href: '/api/v1/trust',
    zh: '信任根证书',
    en: 'Trusted root certificates',
    about: { zh: '离线核验证照签名所需的根证书（PEM）。', en: 'The root certificates that license signatures chain to, for offline checks (PEM).' },
    download: 'license-vault-trust-roots.pem',
  },
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function card(link: FrontPageLink): string {
  const download = link.download === undefined ? '' : ` download="${escapeHtml(link.download)}"`;
  return `<li><a href="${escapeHtml(link.href)}"${download}><strong>${escapeHtml(link.zh)}</strong><span class="en">${escapeHtml(link.en)}</span></a>
<p>${escapeHtml(link.about.zh)}<span class="en">${escapeHtml(link.about.en)}</span></p></li>`;
}

function section(id: string, zh: string, en: string, links: readonly FrontPageLink[]): string {
  return `<section aria-labelledby="${id}">
<h2 id="${id}">${zh} <small>${en}</small></h2>
<ul class="cards">
${links.map(card).join('\n')}
</ul>
</section>`;
}

/**
 * `/`: what this vault is and where to go, for a person who opened its
 * address in a browser. Server-rendered, no script and nothing from
 * elsewhere, so it works on an intranet over plain http and without
 * JavaScript. The staff and holder consoles appear once they are given.
 */
export function frontPage(consoles: readonly FrontPageLink[]): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>电子证照库 · License Vault</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;margin:0;padding:1rem;background:#f6f6f4;color:#1a1a1a;line-height:1.55}
main{max-width:48rem;margin:auto}
header,section,aside{background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002;margin-bottom:1rem}
h1{margin:0 0 .5rem;font-size:1.75rem}h2{margin:0 0 .75rem;font-size:1.2rem}
h1 small,h2 small{font-weight:400;color:#555;font-size:.6em;margin-left:.3rem}h2 small{font-size:.8em}
.en{display:block;color:#555;font-size:.9rem}
p{margin:.25rem 0}
.cards{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.75rem}
.cards li{border:1px solid #d9d9d4;border-radius:.4rem;padding:.75rem .9rem}
.cards li:first-child{border-color:#0b6b2e;background:#f0faf3}.cards li:first-child a,.cards li:first-child a .en{color:#0b6b2e}
.cards a{display:block;color:#0b5394;text-decoration:none;font-size:1.1rem;margin-bottom:.3rem}
.cards a:hover strong,.cards a:focus strong{text-decoration:underline}
.cards a .en{font-size:.85rem;color:#0b5394}
.cards p{font-size:.95rem}
code{display:block;background:#f0f0ec;padding:.5rem .75rem;border-radius:.3rem;margin:.4rem 0;font-size:.9rem}code span{white-space:nowrap}
</style>
</head>
<body>
<main>
<header>
<h1>电子证照库 <small>License Vault</small></h1>
<p>本系统签发、存储和核验电子证照。每份电子证照是一份加盖电子印章、附有核验二维码并经数字签名的 PDF 文件，按持证人的公民身份号码或统一社会信用代码归集。
<span class="en">This vault issues, stores and verifies electronic licenses. Each license is a PDF with an electronic seal, a verification QR code and a digital signature, filed under the holder's citizen ID number or unified social credit code.</span></p>
</header>
${section('public', '公开服务', 'Open to everyone', PUBLIC_LINKS)}
${consoles.length > 0 ? section('consoles', '工作台', 'Consoles', consoles) : ''}
<aside aria-labelledby="more">
<h2 id="more">其他核验方式 <small>Other ways to verify</small></h2>
<p>扫描证照上的二维码，可直接打开该证照的核验结果，无需登录。
<span class="en">The QR code printed on a license opens that license's verification result directly; no sign-in needed.</span></p>
<p>不联网时，可在命令行用上面的信任根证书核验证照签名：
<span class="en">Without a network, check a license's signature on the command line against the trusted root certificates above:</span></p>
<code><span>license-vault verify 证照.pdf</span> <span>--trust 根证书目录</span></code>
</aside>
</main>
</body>
</html>
`;
}
