import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplateDirectory } from '../../../src/adapters/templates/template-directory.js';
import { fixedClock } from '../../../src/shared/clock.js';

const SOURCE = join(__dirname, '../../../templates/teacher-qualification/v1.json');
const clock = fixedClock('2026-11-21T00:00:00Z');

describe('template directory', () => {
  let dir: string;
  const original = JSON.parse(readFileSync(SOURCE, 'utf8')) as Record<string, unknown> & { catalogue: Record<string, unknown>; example: { fields: Record<string, unknown> }; fields: Record<string, unknown>[] };
  const write = (folder: string, name: string, content: unknown) => {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, name), typeof content === 'string' ? content : JSON.stringify(content));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-templates-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('loads every version and serves the latest for new licenses', async () => {
    write('teacher-qualification', 'v1.json', original);
    write('teacher-qualification', 'v2.json', { ...original, version: 2 });
    const catalog = await loadTemplateDirectory(dir, clock);
    expect(catalog.forType('11100000000013338W001').version).toBe(2);
    expect(catalog.version('11100000000013338W001', 1).version).toBe(1);
    expect(catalog.latest()).toHaveLength(1);
    expect(() => catalog.version('11100000000013338W001', 3)).toThrow(expect.objectContaining({ code: 'ERR_TEMPLATE_NOT_FOUND' }) as Error);
    expect(() => catalog.forType('11100000000013338W999')).toThrow(expect.objectContaining({ code: 'ERR_TEMPLATE_NOT_FOUND' }) as Error);
  });

  test.each([
    ['broken JSON', '{"id": ', '(file)'],
    ['a string field without maxLength', { ...original, fields: [{ key: 'subject', label: '任教学科', type: 'string', required: true }] }, 'fields[0].maxLength'],
    ['a type code not from the defining authority', { ...original, catalogue: { ...original.catalogue, typeCode: '91350100M000100Y43001' } }, 'catalogue.typeCode'],
    ['an unknown property', { ...original, colour: 'red' }, '(root)'],
    ['a layout item printing a field that does not exist', { ...original, layout: { ...(original.layout as object), items: [{ value: 'salary', x: 1, y: 1, size: 12, maxWidth: 100 }] } }, 'layout.items[0].value'],
    ['an example that breaks the field schema', { ...original, example: { ...original.example, fields: { ...original.example.fields, sex: '未知' } } }, 'example.fields.sex'],
    ['an example holder number that is not valid', { ...original, example: { ...original.example, holder: { name: '李', id: '11010519491231002Y' } } }, 'example.holder.id'],
    ['a version that does not match the file name', { ...original, version: 3 }, 'version'],
  ])('%s stops loading with ERR_TEMPLATE_INVALID naming the file and the field', async (_name, content, field) => {
    write('teacher-qualification', 'v1.json', content);
    await expect(loadTemplateDirectory(dir, clock)).rejects.toMatchObject({
      code: 'ERR_TEMPLATE_INVALID',
      details: { field, file: expect.stringContaining(join('teacher-qualification', 'v1.json')) },
    });
  });

  test('two folders cannot claim one license type; an empty directory has no templates', async () => {
    await expect(loadTemplateDirectory(dir, clock)).rejects.toMatchObject({ code: 'ERR_TEMPLATE_INVALID' });
    write('teacher-qualification', 'v1.json', original);
    write('teacher-copy', 'v1.json', { ...original, id: 'teacher-copy' });
    await expect(loadTemplateDirectory(dir, clock)).rejects.toMatchObject({ code: 'ERR_TEMPLATE_INVALID', details: { field: 'catalogue.typeCode' } });
  });

  test('the shipped templates all load, one license type per folder', async () => {
    cpSync(join(__dirname, '../../../templates'), dir, { recursive: true });
    const folders = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const catalog = await loadTemplateDirectory(dir, clock);
    expect(catalog.latest().map((template) => template.id).sort()).toEqual(folders.map((folder) => folder.name).sort());
  });
});
