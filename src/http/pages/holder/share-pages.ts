import { esc } from './html.js';
import { holderPage } from './layout.js';
import { licenseChoices, selectField, textField } from './form-parts.js';
import { facts } from './license-card.js';
import { beijingTime, DEFAULT_SHARE_LIFETIME_MINUTES, SHARE_LIFETIME_CHOICES, SHARE_STATE_TEXT } from './text.js';
import type { LicenseCard, ShareItem, ShareResult, SignedInHolder } from './view-models.js';

export interface ShareFormValues {
  readonly licenses: readonly string[];
  readonly recipient: string;
  readonly purpose: string;
  readonly lifetimeMinutes: number;
  readonly oneTime: boolean;
}

export const EMPTY_SHARE_FORM: ShareFormValues = { licenses: [], recipient: '', purpose: '', lifetimeMinutes: DEFAULT_SHARE_LIFETIME_MINUTES, oneTime: false };

/** 分享: a link for a third party (a bank, an employer) to see chosen licenses' verdicts and annotated copies. */
export function sharePage(holder: SignedInHolder, licenses: readonly LicenseCard[], values: ShareFormValues, errorCode: string | null = null): string {
  const lifetimes = SHARE_LIFETIME_CHOICES.map((choice) => [String(choice.minutes), choice.zh] as [string, string]);
  return holderPage(
    { title: '分享证照', holder, section: 'shares', errorCode },
    `<h1>分享证照 <small>Share with a third party</small></h1>
<p class="hint">生成一个链接，对方打开后可核验所选证照并下载为本次分享制作的加注件。<span class="en">Makes a link; whoever opens it sees each license's verdict and can download the annotated copy made for this share.</span></p>
<form class="task panel" method="post" action="/me/shares">
${licenseChoices(licenses, values.licenses, '选择证照 Licenses')}
${textField('recipient', '分享对象', values.recipient, '例如：某某银行 · e.g. a bank or an employer', { maxLength: 100 })}
${textField('purpose', '用证事由', values.purpose, '例如：办理个人贷款 · what they need it for')}
${selectField('lifetimeMinutes', '有效时长', lifetimes, String(values.lifetimeMinutes))}
<label class="choice"><input type="checkbox" name="oneTime" value="1"${values.oneTime ? ' checked' : ''}><span>仅可打开一次 <span class="hint">One-time link</span></span></label>
<button class="primary wide" type="submit">分享</button>
</form>`,
  );
}

function shareFacts(share: ShareItem): string {
  return facts([
    ['证照', share.covers.join('\n')],
    ['分享对象', share.recipient],
    ['用证事由', share.purpose],
    ['有效期至', beijingTime(share.expiresAt)],
    ['打开次数', `${share.opens} 次${share.oneTime ? '（一次性）' : ''}`],
  ]);
}

function revokeButton(share: ShareItem): string {
  return `<form method="post" action="/me/shares/${encodeURIComponent(share.id)}/revoke"><button class="danger" type="submit" aria-describedby="share-${esc(share.id)}">撤销分享</button></form>`;
}

/** The new share link, to copy or show as a QR code. */
export function shareResultPage(holder: SignedInHolder, result: ShareResult, notice: string | null): string {
  return holderPage(
    { title: '分享链接', holder, section: 'shares', notice },
    `<h1>分享链接 <small>Share link</small></h1>
<section class="panel" aria-labelledby="link-heading">
<h2 id="link-heading" class="label">请将此链接发给${esc(result.share.recipient)}</h2>
<div class="link-box"><input id="share-link" type="text" readonly value="${esc(result.url)}" aria-labelledby="link-heading">
<button class="secondary" type="button" data-copy="share-link" hidden>复制链接</button><span id="share-link-copied" class="copied" role="status" hidden>已复制</span></div>
<p><a href="${esc(result.url)}" rel="noopener">打开分享页 Open it</a></p>
${result.qrSvg === null ? '' : `<div class="qr" role="img" aria-label="分享链接二维码 QR code">${result.qrSvg}</div>`}
</section>
<section class="panel" aria-labelledby="share-${esc(result.share.id)}">
<h2 id="share-${esc(result.share.id)}">分享内容 <small>What it shares</small></h2>
${shareFacts(result.share)}
<div class="actions">${revokeButton(result.share)}<a class="button secondary" href="/me/shares">分享记录</a></div>
</section>`,
  );
}

function card(share: ShareItem): string {
  const live = share.state === 'live';
  const state = SHARE_STATE_TEXT[share.state];
  return `<li class="card${live ? '' : ' ended'}">
<div class="card-head"><h3 id="share-${esc(share.id)}">${esc(share.recipient)}</h3><span class="badge ${live ? 'good' : 'muted'}">${state.zh} <span lang="en">${state.en}</span></span></div>
${shareFacts(share)}
${live ? `<div class="actions">${revokeButton(share)}</div>` : ''}
</li>`;
}

/** 分享记录: the holder's share links, live ones with 撤销分享. */
export function sharesPage(holder: SignedInHolder, shares: readonly ShareItem[], notice: string | null = null, errorCode: string | null = null): string {
  return holderPage(
    { title: '分享记录', holder, section: 'shares', notice, errorCode },
    `<h1>分享记录 <small>Share links</small></h1>
<div class="actions"><a class="button" href="/me/share">新的分享 <span lang="en">New share link</span></a></div>
${shares.length === 0 ? '<p class="panel empty">还没有分享链接。<span class="en">No share links yet.</span></p>' : `<ul class="cards grid">${shares.map(card).join('\n')}</ul>`}`,
  );
}
