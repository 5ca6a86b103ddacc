import type { OpenedShare } from '../../modules/shares/index.js';
import type { ErrorCode } from '../../shared/errors.js';
import { RESULT_TEXT } from './verdict-text.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An instant as people in China read it: `2026-11-28 10:00（北京时间）`. */
export function chinaTime(instant: string): string {
  return `${new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间 Beijing time）`;
}

const STATUS_TEXT: Readonly<Record<string, string>> = {
  active: '有效 In force',
  suspended: '已暂停 Suspended',
  revoked: '已撤销 Revoked',
  expired: '已过期 Expired',
  superseded: '已换发 Superseded',
};

/** Why a link does not open, in plain words and what to do next; nothing about what it covered. */
const REFUSAL_TEXT: Readonly<Partial<Record<ErrorCode, { zh: string; en: string }>>> = {
  ERR_SHARE_NOT_FOUND: {
    zh: '没有这个分享链接。请核对链接是否完整，或请持证人重新分享。',
    en: 'There is no such share link. Check that the link is complete, or ask the holder to share again.',
  },
  ERR_SHARE_EXPIRED: { zh: '此分享链接已过期。如仍需要，请持证人重新分享。', en: 'This share link has expired. Ask the holder for a new one if you still need it.' },
  ERR_SHARE_REVOKED: { zh: '持证人已撤销此分享链接。', en: 'The holder has withdrawn this share link.' },
  ERR_SHARE_USED: {
    zh: '此链接只能打开一次，已被打开过。如仍需要，请持证人重新分享。',
    en: 'This link opens once only and has been opened. Ask the holder for a new one if you still need it.',
  },
  ERR_LICENSE_NOT_FOUND: { zh: '此分享不包含该证照。', en: 'This share does not cover that license.' },
  ERR_SHARE_COPY_UNAVAILABLE: { zh: '暂时无法生成加注件，请稍后再试。', en: 'Annotated copies cannot be made now; try again later.' },
};

const STYLE = `body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;margin:0;padding:1rem;background:#f6f6f4;color:#1a1a1a}
main{max-width:40rem;margin:auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}small{font-weight:400;color:#555}
.verdict{font-size:1.3rem;font-weight:700;padding:.6rem .9rem;border-radius:.4rem}
.good{background:#e6f4ea;color:#0b6b2e}.bad{background:#fdecea;color:#a50e0e}.warn{background:#fff4e5;color:#8a4b00}
.en{display:block;font-size:.95rem;font-weight:400}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;overflow-wrap:anywhere}dt{color:#555}
@media (max-width:30rem){dl{grid-template-columns:1fr;gap:.1rem}dd{margin:0 0 .5rem}}
a.copy,button.copy{display:inline-block;border:0;font:inherit;cursor:pointer;margin-top:.5rem;padding:.5rem 1rem;border-radius:.3rem;background:#0b6b2e;color:#fff;text-decoration:none}
section{border-top:1px solid #ddd;margin-top:1rem}.code{font-family:ui-monospace,monospace}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
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

function rows(items: readonly (readonly [string, string])[]): string {
  return `<dl>${items.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

/**
 * The page a share link opens: who it is for and why, until when, and each
 * license's verdict as any verifier sees it (status, type, number, issuer,
 * holder masked, validity), with its annotated copy when copies can be made.
 */
export function sharePage(opened: OpenedShare, copyLink: ((identifier: string) => string) | null): string {
  const { share } = opened;
  const licenses = opened.licenses.map(({ result, license }) => {
    const text = RESULT_TEXT[result];
    const name = license.licenseType.name ?? license.licenseType.code;
    return `<section aria-label="${escapeHtml(name)}">
<h2>${escapeHtml(name)}</h2>
<p class="verdict ${text.tone}" data-result="${result}">${escapeHtml(text.zh)}<span class="en">${escapeHtml(text.en)}</span></p>
${rows([
  ['状态 Status', STATUS_TEXT[license.status] ?? license.status],
  ['证照编号 Number', license.licenseNumber],
  ['持证主体 Holder', `${license.holderName}（${license.holderId}）`],
  ['发证机关 Issuer', license.issuer.name],
  ['有效期 Validity', `${license.validFrom} — ${license.validUntil ?? '长期 no end'}`],
  ['电子证照标识 Identifier', license.identifier],
])}
${copyLink ? `<a class="copy" href="${escapeHtml(copyLink(license.identifier))}" download>下载加注件 <small style="color:#fff">Download annotated copy</small></a>` : ''}
</section>`;
  });
  return page(
    '分享的电子证照 · Shared licenses',
    `<h1>分享的电子证照 <small>Shared licenses</small></h1>
${rows([
  ['分享给 For', share.recipient],
  ['用证事由 Purpose', share.purpose],
  ['链接有效期至 Link valid until', chinaTime(share.expiresAt)],
  ...(share.oneTime ? ([['仅可打开一次 One-time', '本次打开后链接即失效 This link will not open again']] as const) : []),
])}
<p>以下为各证照此刻的核验结果，持证主体号码已隐去部分。<br>Each license's verification result as of now; the holder's number is partly hidden.</p>
${licenses.join('\n')}`,
  );
}

/**
 * What a one-time link shows before it is opened: that it opens once, and a
 * button that opens it (a form posting to the same address, no script), so
 * that a chat app's link preview does not use it up. Nothing of what it covers.
 */
export function oneTimeNoticePage(): string {
  return page(
    '分享的电子证照 · Shared licenses',
    `<h1>分享的电子证照 <small>Shared licenses</small></h1>
<p class="verdict warn">此链接只能打开一次<span class="en">This link opens once only</span></p>
<p>打开后链接即失效，请在准备好查看时再打开；打开后 30 分钟内可下载加注件。<br>Once opened it stops working: open it when you are ready to read it. Annotated copies can be downloaded for 30 minutes after.</p>
<form method="post"><button type="submit" class="copy">查看证照 <small style="color:#fff">Open</small></button></form>`,
  );
}

/** The page of a link that does not open: the reason, its stable code, nothing about what the link covered. */
export function shareRefusalPage(code: ErrorCode): string {
  const text = REFUSAL_TEXT[code] ?? { zh: '无法打开此分享链接。', en: 'This share link cannot be opened.' };
  return page(
    '无法打开分享链接 · Share link not available',
    `<h1>无法打开分享链接 <small>Share link not available</small></h1>
<p class="verdict bad" data-code="${escapeHtml(code)}">${escapeHtml(text.zh)}<span class="en">${escapeHtml(text.en)}</span></p>
<p>错误代码 Code: <span class="code">${escapeHtml(code)}</span></p>`,
  );
}

/** Whether the refusal page explains `code`: the refusals of a share link's opening and its copies. */
export function isShareRefusal(code: ErrorCode): boolean {
  return REFUSAL_TEXT[code] !== undefined;
}
