import { esc } from './html.js';
import { holderPage } from './layout.js';
import { facts } from './license-card.js';
import { AUTHORIZATION_STATE_TEXT, beijingTime, groupedCode } from './text.js';
import type { AuthorizationItem, AuthorizationResult, SignedInHolder } from './view-models.js';

function officeText(item: AuthorizationItem): string {
  return item.officeName ?? '任何办事机构';
}

function details(item: AuthorizationItem): string {
  return facts([
    ['证照', item.covers.join('\n')],
    ['办事机构', officeText(item)],
    ['办理事项', item.serviceItem],
    ['用证事由', item.purpose],
    ['有效期至', beijingTime(item.expiresAt)],
    ['剩余次数', `${item.usesLeft} / ${item.usesAllowed}`],
  ]);
}

/** 撤销授权; in a list, described by its card's heading so that each button says which authorization it ends. */
function withdrawButton(item: AuthorizationItem, inList: boolean): string {
  const describedBy = inList ? ` aria-describedby="authorization-${esc(item.id)}"` : '';
  return `<form method="post" action="/me/authorizations/${encodeURIComponent(item.id)}/withdraw"><button class="danger" type="submit"${describedBy}>撤销授权</button></form>`;
}

function card(item: AuthorizationItem): string {
  const live = item.state === 'live';
  const state = AUTHORIZATION_STATE_TEXT[item.state];
  return `<li class="card${live ? '' : ' ended'}">
<div class="card-head"><h3 id="authorization-${esc(item.id)}">${esc(item.serviceItem)} <small>…${esc(item.codeHint)}</small></h3><span class="badge ${live ? 'good' : 'muted'}">${state.zh} <span lang="en">${state.en}</span></span></div>
${details(item)}
${live ? `<div class="actions">${withdrawButton(item, true)}</div>` : ''}
</li>`;
}

/** 授权记录: live authorizations, each with 撤销授权, then the recently ended ones, greyed. */
export function authorizationsPage(holder: SignedInHolder, items: readonly AuthorizationItem[], notice: string | null = null, errorCode: string | null = null): string {
  const live = items.filter((item) => item.state === 'live');
  const ended = items.filter((item) => item.state !== 'live');
  return holderPage(
    { title: '授权记录', holder, section: 'authorizations', notice, errorCode },
    `<h1>授权记录 <small>Authorizations</small></h1>
<div class="actions"><a class="button" href="/me/authorize">新的授权用证 <span lang="en">New authorization</span></a></div>
<h2>生效中 <small>Live</small></h2>
${live.length === 0 ? '<p class="panel empty">没有生效中的授权。<span class="en">No live authorizations.</span></p>' : `<ul class="cards grid">${live.map(card).join('\n')}</ul>`}
${ended.length === 0 ? '' : `<h2>近期已结束 <small>Recently ended</small></h2><ul class="cards grid">${ended.map(card).join('\n')}</ul>`}`,
  );
}

/** The new 用证码, large, with its QR code and what it covers; shown right after 生成用证码. */
export function authorizationResultPage(holder: SignedInHolder, result: AuthorizationResult, notice: string | null): string {
  const item = result.authorization;
  return holderPage(
    { title: '用证码', holder, section: 'authorizations', notice },
    `<h1>用证码 <small>Authorization code</small></h1>
<section class="panel code-box" aria-labelledby="code-heading">
<h2 id="code-heading" class="label">请向办事人员出示此用证码或二维码</h2>
<span class="en">Show this code or its QR code to the clerk</span>
<output class="code" aria-label="用证码">${esc(groupedCode(result.code))}</output>
<div class="qr" role="img" aria-label="用证码二维码 QR code">${result.qrSvg}</div>
<p>有效期至 <strong>${esc(beijingTime(item.expiresAt))}</strong>（北京时间）<span class="en">Valid until then, Beijing time</span></p>
</section>
<section class="panel" aria-labelledby="covers-heading">
<h2 id="covers-heading">授权内容 <small>What it covers</small></h2>
${details(item)}
<div class="actions">${withdrawButton(item, false)}<a class="button secondary" href="/me/authorizations">授权记录</a></div>
</section>`,
  );
}
