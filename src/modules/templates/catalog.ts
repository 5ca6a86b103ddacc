import { TemplateError } from '../../shared/errors.js';
import type { LicenseTemplate } from './template.js';

/** Every version of every template, loaded at start. New licenses use a type's latest version. */
export interface TemplateCatalog {
  /** Latest version of each license type, ordered by type code. */
  latest(): readonly LicenseTemplate[];
  /** The latest version for a type code; ERR_TEMPLATE_NOT_FOUND if none. */
  forType(typeCode: string): LicenseTemplate;
  /** The name of a license type, or null for a type no template describes (any more). */
  nameOf(typeCode: string): string | null;
  /** A given version (to re-render a license as it was issued); ERR_TEMPLATE_NOT_FOUND if none. */
  version(typeCode: string, version: number): LicenseTemplate;
}

export function createTemplateCatalog(templates: readonly LicenseTemplate[]): TemplateCatalog {
  const byType = new Map<string, LicenseTemplate[]>();
  for (const template of templates) {
    const versions = byType.get(template.catalogue.typeCode) ?? [];
    versions.push(template);
    byType.set(template.catalogue.typeCode, versions);
  }
  for (const versions of byType.values()) versions.sort((a, b) => a.version - b.version);
  const versionsOf = (typeCode: string): LicenseTemplate[] => {
    const versions = byType.get(typeCode);
    if (!versions) throw new TemplateError('ERR_TEMPLATE_NOT_FOUND', `no template for license type ${typeCode}`, { typeCode });
    return versions;
  };
  return {
    latest: () =>
      [...byType.keys()]
        .sort()
        .map((typeCode) => versionsOf(typeCode).at(-1))
        .filter((template): template is LicenseTemplate => template !== undefined),
    forType: (typeCode) => versionsOf(typeCode).at(-1) as LicenseTemplate,
    nameOf: (typeCode) => byType.get(typeCode)?.at(-1)?.catalogue.name ?? null,
    version: (typeCode, version) => {
      const found = versionsOf(typeCode).find((template) => template.version === version);
      if (!found) throw new TemplateError('ERR_TEMPLATE_NOT_FOUND', `license type ${typeCode} has no template version ${version}`, { typeCode, version });
      return found;
    },
  };
}
