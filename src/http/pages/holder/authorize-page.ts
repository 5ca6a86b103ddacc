import { esc } from './html.js';
import { holderPage } from './layout.js';
import { licenseChoices, selectField, textField } from './form-parts.js';
import { DEFAULT_LIFETIME_MINUTES, LIFETIME_CHOICES } from './text.js';
import type { LicenseCard, OfficeOption, SignedInHolder } from './view-models.js';

/** Uses a 多次 authorization allows. */
export const MANY_USES = 10;

/** What the holder typed or chose, kept when the form comes back with an error. */
export interface AuthorizeFormValues {
  readonly licenses: readonly string[];
  /** A credit code, or '' for any office. */
  readonly office: string;
  readonly serviceItem: string;
  readonly purpose: string;
  readonly lifetimeMinutes: number;
  readonly uses: number;
}

export const EMPTY_AUTHORIZE_FORM: AuthorizeFormValues = { licenses: [], office: '', serviceItem: '', purpose: '', lifetimeMinutes: DEFAULT_LIFETIME_MINUTES, uses: 1 };

/** 授权用证: which licenses, which office, for what, how long, how often → 生成用证码. */
export function authorizePage(
  holder: SignedInHolder,
  licenses: readonly LicenseCard[],
  offices: readonly OfficeOption[],
  values: AuthorizeFormValues,
  errorCode: string | null = null,
): string {
  const officeChoices: [string, string][] = [['', '任何办事机构 Any office'], ...offices.map((office) => [office.creditCode, office.name] as [string, string])];
  const lifetimes = LIFETIME_CHOICES.map((choice) => [String(choice.minutes), choice.zh] as [string, string]);
  const uses = (value: number, text: string) =>
    `<label class="choice"><input type="radio" name="uses" value="${value}"${values.uses === value ? ' checked' : ''}><span>${esc(text)}</span></label>`;
  return holderPage(
    { title: '授权用证', holder, section: 'authorizations', errorCode },
    `<h1>授权用证 <small>Authorize an office</small></h1>
<p class="hint">办事机构凭用证码取得您所选证照的加注件，仅限所填事项和时限内使用。<span class="en">With the code, the office gets an annotated copy of the licenses you choose, for this matter and time only.</span></p>
<form class="task panel" method="post" action="/me/authorizations">
${licenseChoices(licenses, values.licenses, '选择证照 Licenses')}
${selectField('office', '办事机构', officeChoices, values.office)}
${textField('serviceItem', '办理事项', values.serviceItem, '例如：新生入学登记 · e.g. school enrolment')}
${textField('purpose', '用证事由', values.purpose, '例如：核验户籍与身份 · what the office needs it for')}
${selectField('lifetimeMinutes', '有效时长', lifetimes, String(values.lifetimeMinutes))}
<fieldset><legend>使用次数 Uses</legend><div class="inline-choices">${uses(1, '一次')}${uses(MANY_USES, `多次（最多 ${MANY_USES} 次）`)}</div></fieldset>
<button class="primary wide" type="submit">生成用证码</button>
</form>`,
  );
}
