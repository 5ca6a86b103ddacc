import { esc } from './html.js';
import { LICENSE_STATUS_TEXT } from './text.js';
import type { HolderLicenseStatus, LicenseCard } from './view-models.js';

/** A status badge: colour and words, never colour alone. */
export function statusBadge(status: HolderLicenseStatus): string {
  const text = LICENSE_STATUS_TEXT[status];
  return `<span class="badge ${text.tone}">${text.zh} <span lang="en">${text.en}</span></span>`;
}

export function validity(card: Pick<LicenseCard, 'validFrom' | 'validUntil'>): string {
  return card.validUntil ?? '长期';
}

/** A fact list (label, value) that reads as two columns, or one on a narrow phone. */
export function facts(rows: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${rows.map(([label, value]) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`).join('')}</dl>`;
}

/** How a license is named elsewhere (authorizations, usage): type and number. */
export function licenseLabel(card: Pick<LicenseCard, 'typeName' | 'licenseNumber'>): string {
  return `${card.typeName} ${card.licenseNumber}`;
}
