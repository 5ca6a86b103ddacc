import { esc } from './html.js';
import { HOLDER_SCRIPT_URL } from './script.js';
import { HOLDER_STYLESHEET_URL } from './stylesheet.js';
import { errorText } from './text.js';
import type { SignedInHolder } from './view-models.js';

/** The holder pages' sections, each a tab of the navigation. */
export type HolderSection = 'licenses' | 'authorizations' | 'usage' | 'shares';

const TABS: readonly { readonly section: HolderSection; readonly href: string; readonly zh: string }[] = [
  { section: 'licenses', href: '/me', zh: '我的证照' },
  { section: 'authorizations', href: '/me/authorizations', zh: '授权记录' },
  { section: 'usage', href: '/me/usage', zh: '用证记录' },
  { section: 'shares', href: '/me/shares', zh: '分享记录' },
];

export interface PageOptions {
  /** The page's title: the task's name, Chinese then English. */
  readonly title: string;
  readonly holder: SignedInHolder | null;
  readonly section?: HolderSection;
  /** A confirmation after a change. */
  readonly notice?: string | null;
  /** An error, in plain Chinese with its stable code. */
  readonly errorCode?: string | null;
}

/** A confirmation box (role status, so screen readers announce it). */
export function noticeBox(text: string | null | undefined): string {
  return text ? `<p class="notice" role="status">${esc(text)}</p>` : '';
}

/** An error box: plain Chinese, the stable code small beneath. */
export function errorBox(code: string | null | undefined): string {
  return code ? `<div class="error" role="alert"><p>${esc(errorText(code))}</p><code>${esc(code)}</code></div>` : '';
}

function header(holder: SignedInHolder | null, section: HolderSection | undefined): string {
  const who = holder
    ? `<div class="who"><span>${esc(holder.name ?? '')} <span aria-label="证件号码">${esc(holder.maskedNumber)}</span></span>
<form method="post" action="/me/sign-out"><button type="submit">退出</button></form></div>`
    : '';
  const tabs = holder
    ? `<nav class="tabs" aria-label="我的电子证照"><ul>${TABS.map(
        (tab) => `<li><a href="${tab.href}"${tab.section === section ? ' aria-current="page"' : ''}>${tab.zh}</a></li>`,
      ).join('')}</ul></nav>`
    : '';
  return `<header class="top"><div class="top-inner"><a class="brand" href="/me">我的电子证照<small>My licenses</small></a>${who}</div></header>${tabs}`;
}

/** The page around `body`: head, the header with the holder and the tabs, confirmations and errors. */
export function holderPage(options: PageOptions, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · 我的电子证照</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${HOLDER_STYLESHEET_URL}">
<script src="${HOLDER_SCRIPT_URL}" defer></script>
</head>
<body>
${header(options.holder, options.section)}
<main>
${noticeBox(options.notice)}${errorBox(options.errorCode)}${body}
</main>
</body>
</html>
`;
}
