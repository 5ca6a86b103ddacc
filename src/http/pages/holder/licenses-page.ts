import { esc } from './html.js';
import { holderPage } from './layout.js';
import { facts, statusBadge, validity } from './license-card.js';
import type { LicenseCard, SignedInHolder } from './view-models.js';

function card(license: LicenseCard): string {
  return `<li class="card">
<div class="card-head"><h3><a href="/me/licenses/${encodeURIComponent(license.identifier)}">${esc(license.typeName)}</a></h3>${statusBadge(license.status)}</div>
${facts([
  ['证照编号', license.licenseNumber],
  ['发证机关', license.issuerName],
  ['有效期至', validity(license)],
  ['版本', `第 ${license.version} 版`],
])}
</li>`;
}

/** 我的证照: every license the holder holds, as cards. */
export function licensesPage(holder: SignedInHolder, licenses: readonly LicenseCard[], notice: string | null = null): string {
  const body =
    licenses.length === 0
      ? `<p class="panel empty">您名下暂无电子证照。<span class="en">No licenses are filed under your number yet.</span></p>`
      : `<ul class="cards grid">${licenses.map(card).join('\n')}</ul>`;
  return holderPage(
    { title: '我的证照', holder, section: 'licenses', notice },
    `<h1>我的证照 <small>My licenses</small></h1>
${body}
<div class="actions"><a class="button secondary" href="/me/authorize">授权办事机构用证 <span lang="en">Authorize an office</span></a></div>`,
  );
}
