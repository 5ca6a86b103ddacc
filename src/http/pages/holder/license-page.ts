import { esc } from './html.js';
import { holderPage } from './layout.js';
import { facts, statusBadge, validity } from './license-card.js';
import { beijingTime } from './text.js';
import type { LicenseDetail, SignedInHolder } from './view-models.js';

/** One license: its face, its details, and what the holder can do with it. */
export function licensePage(holder: SignedInHolder, license: LicenseDetail): string {
  const id = esc(license.identifier);
  return holderPage(
    { title: license.typeName, holder, section: 'licenses' },
    `<p><a href="/me">← 返回证照列表</a></p>
<h1>${esc(license.typeName)}</h1>
<div class="license-layout">
<div>
<div class="panel">
<p>${statusBadge(license.status)}</p>
${facts([
  ['证照编号', license.licenseNumber],
  ['发证机关', license.issuerName],
  ['有效期', `${license.validFrom} 至 ${validity(license)}`],
  ['版本', `第 ${license.version} 版`],
  ['签发时间', beijingTime(license.issuedAt)],
  ...license.fields.map((field) => [field.label, field.value] as const),
  ['电子证照标识', license.identifier],
])}
<div class="actions">
<form method="get" action="/me/authorize"><input type="hidden" name="license" value="${id}"><button class="primary" type="submit">授权用证</button></form>
<form method="get" action="/me/share"><input type="hidden" name="license" value="${id}"><button class="secondary" type="submit">分享</button></form>
<form method="get" action="${esc(license.originalUrl)}"><button class="secondary" type="submit">下载原件</button></form>
</div>
<p class="hint">原件是发证机关签名的 PDF 文件，仅供您本人保存；办事机构使用证照请通过授权用证。<span class="en">The original is the issuer's signed PDF, for you to keep; offices use your license through an authorization.</span></p>
</div>
</div>
<figure class="panel face-panel"><img class="face" src="${esc(license.faceUrl)}" alt="${esc(`${license.typeName}照面，证照编号 ${license.licenseNumber}`)}" width="595" height="842"><figcaption class="hint">证照照面 License face</figcaption></figure>
</div>`,
  );
}
