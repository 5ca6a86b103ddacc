import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseHolderNumber } from '../../modules/identity/index.js';
import { createTemplateCatalog, LicenseTemplate, validateFaceFields, type TemplateCatalog } from '../../modules/templates/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError, TemplateError } from '../../shared/errors.js';

const VERSION_FILE = /^v([1-9][0-9]{0,2})\.json$/;

function invalid(file: string, field: string, message: string): TemplateError {
  return new TemplateError('ERR_TEMPLATE_INVALID', `${file}: ${field}: ${message}`, { file, field });
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '') || '(root)';
}

async function loadFile(dir: string, folder: string, name: string, clock: Clock): Promise<LicenseTemplate> {
  const path = join(dir, folder, name);
  const file = relative(process.cwd(), path) || path;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw invalid(file, '(file)', error instanceof Error ? error.message : 'unreadable');
  }
  const parsed = LicenseTemplate.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(file, pathText(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const template = parsed.data;
  if (template.id !== folder) throw invalid(file, 'id', `must equal its folder name ${folder}`);
  if (`v${template.version}.json` !== name) throw invalid(file, 'version', `must match the file name ${name}`);
  try {
    parseHolderNumber(template.catalogue.holderType, template.example.holder.id, clock);
    validateFaceFields(template, template.example.fields);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    const field = typeof error.details?.field === 'string' ? `example.fields.${error.details.field}` : 'example.holder.id';
    throw invalid(file, field, `${error.code}: ${error.message}`);
  }
  return template;
}

/**
 * Loads `templates/{id}/v{n}.json`, every version of every license type, and
 * refuses the lot if any file is malformed (the error names the file and the
 * field), if a folder mixes type codes, or if two folders claim one type.
 */
export async function loadTemplateDirectory(dir: string, clock: Clock): Promise<TemplateCatalog> {
  const folders = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const templates: LicenseTemplate[] = [];
  const owner = new Map<string, string>();
  for (const folder of folders) {
    const files = (await readdir(join(dir, folder))).filter((name) => VERSION_FILE.test(name)).sort();
    for (const name of files) {
      const template = await loadFile(dir, folder, name, clock);
      const claimedBy = owner.get(template.catalogue.typeCode);
      if (claimedBy !== undefined && claimedBy !== folder) throw invalid(join(folder, name), 'catalogue.typeCode', `${template.catalogue.typeCode} already belongs to ${claimedBy}`);
      const first = templates.find((other) => other.id === folder);
      if (first && first.catalogue.typeCode !== template.catalogue.typeCode) throw invalid(join(folder, name), 'catalogue.typeCode', 'every version of a template keeps its type code');
      owner.set(template.catalogue.typeCode, folder);
      templates.push(template);
    }
  }
  if (templates.length === 0) throw new TemplateError('ERR_TEMPLATE_INVALID', `no templates in ${dir}`, { file: dir, field: '(directory)' });
  return createTemplateCatalog(templates);
}
