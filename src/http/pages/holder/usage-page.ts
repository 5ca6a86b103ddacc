import { esc, query } from './html.js';
import { holderPage } from './layout.js';
import { facts } from './license-card.js';
import { beijingTime, usageKindText } from './text.js';
import type { SignedInHolder, UsageItem, UsagePageView } from './view-models.js';

function entry(item: UsageItem): string {
  const kind = usageKindText(item.kind);
  const denied = item.kind === 'denied' || item.kind === 'redemption-refused';
  const rows: [string, string][] = [];
  if (item.departmentName !== null) rows.push(['办事机构', item.departmentName]);
  if (item.clerk !== null) rows.push(['经办人', item.clerk]);
  if (item.serviceItem !== null) rows.push(['办理事项', item.serviceItem]);
  if (item.recipient !== null) rows.push(['分享对象', item.recipient]);
  if (item.purpose !== null) rows.push(['用证事由', item.purpose]);
  if (item.licenses.length > 0) rows.push(['证照', item.licenses.join('\n')]);
  if (item.repeated > 1) rows.push(['次数', `${item.repeated} 次`]);
  return `<li class="card">
<p><time datetime="${esc(item.at)}">${esc(beijingTime(item.at))}</time><span class="what badge ${denied ? 'bad' : 'muted'}">${esc(kind.zh)} <span lang="en">${esc(kind.en)}</span></span></p>
${rows.length > 0 ? facts(rows) : ''}
</li>`;
}

function counts(view: UsagePageView): string {
  if (view.verifications === null || view.verifications.length === 0) return '';
  return `<section class="panel" aria-labelledby="counts-heading">
<h2 id="counts-heading">匿名核验次数 <small>Anonymous verifications</small></h2>
<p class="hint">他人扫码或上传文件核验您的证照的次数，不记录核验者身份。<span class="en">How often anyone checked each license by its QR code or file; who checked is never recorded.</span></p>
<table class="counts"><thead><tr><th scope="col">证照</th><th scope="col">次数</th></tr></thead><tbody>
${view.verifications.map((row) => `<tr><td>${esc(row.license)}</td><td>${row.count}</td></tr>`).join('\n')}
</tbody></table>
</section>`;
}

/** 用证记录: every use of the holder's licenses, newest first, a page at a time; on the first page, the anonymous verification counts. */
export function usagePage(holder: SignedInHolder, view: UsagePageView): string {
  const list =
    view.items.length === 0
      ? '<p class="panel empty">暂无用证记录。<span class="en">No uses yet.</span></p>'
      : `<ol class="usage" aria-label="用证记录，最新在前">${view.items.map(entry).join('\n')}</ol>`;
  const newer = view.paged ? '<a class="button secondary" href="/me/usage">最新记录</a>' : '<span></span>';
  const older = view.nextCursor !== null ? `<a class="button secondary" href="/me/usage${query({ cursor: view.nextCursor })}" rel="next">下一页</a>` : '';
  return holderPage(
    { title: '用证记录', holder, section: 'usage' },
    `<h1>用证记录 <small>Usage record</small></h1>
<p class="hint">时间为北京时间，最新在前。<span class="en">Beijing time, newest first.</span></p>
${list}
${view.paged || view.nextCursor !== null ? `<nav class="pager" aria-label="翻页">${newer}${older}</nav>` : ''}
${counts(view)}`,
  );
}
