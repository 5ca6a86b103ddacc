import { esc } from './html.js';
import { licenseLabel } from './license-card.js';
import type { LicenseCard } from './view-models.js';

/** The licenses to choose, as checkboxes; `chosen` are ticked. */
export function licenseChoices(licenses: readonly LicenseCard[], chosen: readonly string[], legend: string): string {
  if (licenses.length === 0) return `<p class="empty">您名下暂无可选的证照。</p>`;
  const items = licenses
    .map((license, index) => {
      const checked = chosen.includes(license.identifier) ? ' checked' : '';
      return `<label class="choice" for="license-${index}"><input type="checkbox" id="license-${index}" name="licenses" value="${esc(license.identifier)}"${checked}><span>${esc(licenseLabel(license))}</span></label>`;
    })
    .join('\n');
  return `<fieldset><legend>${esc(legend)}</legend>${items}</fieldset>`;
}

/** A labelled text field; `hint` is read with it (aria-describedby). */
export function textField(name: string, label: string, value: string, hint: string, options: { readonly maxLength?: number; readonly required?: boolean } = {}): string {
  return `<div class="field"><label for="${name}">${esc(label)}</label><span class="hint" id="${name}-hint">${esc(hint)}</span>
<input type="text" id="${name}" name="${name}" value="${esc(value)}" maxlength="${options.maxLength ?? 200}" aria-describedby="${name}-hint"${options.required === false ? '' : ' required'} autocomplete="off"></div>`;
}

/** A labelled select of `choices` (value, text), `selected` chosen. */
export function selectField(name: string, label: string, choices: readonly (readonly [string, string])[], selected: string): string {
  const options = choices.map(([value, text]) => `<option value="${esc(value)}"${value === selected ? ' selected' : ''}>${esc(text)}</option>`).join('');
  return `<div class="field"><label for="${name}">${esc(label)}</label><select id="${name}" name="${name}">${options}</select></div>`;
}
