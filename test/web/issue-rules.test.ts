import { join } from 'node:path';
import { loadTemplateDirectory } from '../../src/adapters/templates/template-directory.js';
import { catalogueJson } from '../../src/http/routes/licenses.js';
import type { DepartmentRecord, DepartmentRepository } from '../../src/modules/departments/index.js';
import { checkIssueCommand } from '../../src/modules/licenses/issue-check.js';
import type { TemplateCatalog } from '../../src/modules/templates/index.js';
import { systemClock } from '../../src/shared/clock.js';
import type { CatalogueEntry } from '../../web/src/issuer/catalogue.js';
import { checkIssue, type IssueInput } from '../../web/src/issuer/issue-rules.js';

const ISSUER = { clientId: 'issuer-rules', role: 'issuer', department: '91350100M000100Y43' } as const;

describe("the issuer's form checks an issuance by the vault's own rules", () => {
  let templates: TemplateCatalog;
  let entries: readonly CatalogueEntry[];
  let departments: DepartmentRepository;

  beforeAll(async () => {
    templates = await loadTemplateDirectory(join(__dirname, '..', '..', 'templates'), systemClock);
    entries = catalogueJson(templates).items;
    const department = { creditCode: ISSUER.department, name: '测试局', divisionCode: '350100', licenseTypes: entries.map((e) => e.code), signingKey: 'k', sealImage: null };
    departments = { get: async () => department as unknown as DepartmentRecord } as unknown as DepartmentRepository;
  });

  const teacher = () => entries.find((e) => e.name.includes('教师')) as CatalogueEntry;
  const exampleInput = (entry: CatalogueEntry): IssueInput => ({
    holderId: entry.example.holder.id,
    holderName: entry.example.holder.name,
    fields: entry.example.fields,
    validUntil: entry.example.validUntil,
  });

  test("every type's catalogue example passes and becomes the request the vault accepts", async () => {
    for (const entry of entries) {
      const { body, errors } = checkIssue(entry, exampleInput(entry));
      expect(errors).toEqual({});
      await expect(checkIssueCommand({ departments, templates, clock: systemClock }, ISSUER, body!, new Date())).resolves.toBeDefined();
    }
  });

  test.each<[string, (input: IssueInput) => IssueInput, string, RegExp]>([
    ['a citizen ID number with a wrong check character', (i) => ({ ...i, holderId: '110105194912310021' }), 'holder.id', /校验位不符/],
    ['a missing required field', (i) => ({ ...i, fields: { ...i.fields, subject: '  ' } }), 'fields.subject', /^请填写任教学科。$/],
    ['a value outside the enum', (i) => ({ ...i, fields: { ...i.fields, sex: '未知' } }), 'fields.sex', /请从列表中选择性别/],
    ['a value against the pattern', (i) => ({ ...i, fields: { ...i.fields, ethnicity: 'Han' } }), 'fields.ethnicity', /民族的格式不正确，例如：汉族/],
    ['an impossible date', (i) => ({ ...i, fields: { ...i.fields, birthDate: '1990-02-30' } }), 'fields.birthDate', /不是有效的日期/],
    ['a name with markup', (i) => ({ ...i, holderName: '<b>李</b>' }), 'holder.name', /不能含有 < >/],
    ['an end date on a type valid without end', (i) => ({ ...i, validUntil: '2030-01-01' }), 'validUntil', /长期有效/],
  ])('%s is shown next to its field, in Chinese, and the vault refuses it too', async (_name, broken, place, message) => {
    const entry = teacher();
    const input = broken(exampleInput(entry));
    const { body, errors } = checkIssue(entry, input);
    expect(body).toBeNull();
    expect(Object.keys(errors)).toEqual([place]);
    expect(errors[place]).toMatch(message);
    const asSent = {
      licenseType: entry.code,
      holder: { type: entry.holderType, id: input.holderId ?? '', name: input.holderName ?? '' },
      fields: input.fields as Record<string, string>,
      validUntil: input.validUntil,
    };
    await expect(checkIssueCommand({ departments, templates, clock: systemClock }, ISSUER, asSent, new Date())).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_/) });
  });

  test('every problem is listed at once, not only the first', () => {
    const entry = teacher();
    const { errors } = checkIssue(entry, { holderId: '', holderName: '', fields: {} });
    expect(Object.keys(errors).sort()).toEqual(['fields.birthDate', 'fields.qualificationType', 'fields.sex', 'fields.subject', 'holder.id', 'holder.name']);
  });
});
