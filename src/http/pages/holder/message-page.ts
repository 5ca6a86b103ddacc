import { esc } from './html.js';
import { errorBox, holderPage } from './layout.js';
import type { SignedInHolder } from './view-models.js';

/** A page that only says something: a license not found, a part of the service not open yet. */
export function messagePage(holder: SignedInHolder | null, title: string, text: string, errorCode: string | null = null): string {
  return holderPage({ title, holder }, `<h1>${esc(title)}</h1>${errorBox(errorCode)}<p class="panel">${esc(text)}</p><p><a href="/me">← 返回证照列表</a></p>`);
}
