import { execFile } from 'node:child_process';
import { join } from 'node:path';

// Each case starts eslint with type information: seconds of CPU, a minute or more when the machine is loaded.
jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

interface LintCase {
  /** An existing file, so the type-aware rules have a program; `source` is linted in its place. */
  readonly filePath: string;
  readonly source: string;
}

/**
 * Lints every case with the project's own config in one child process (eslint
 * loads its config as ESM, and building the TypeScript program once keeps
 * this fast). Answers each case's messages, in order.
 */
const LINT_CASES = `
import { ESLint } from 'eslint';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint();
const answers = [];
for (const { filePath, source } of JSON.parse(input)) {
  const [result] = await eslint.lintText(source, { filePath });
  answers.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(answers));
`;

function lintCases<K extends string>(cases: Readonly<Record<K, LintCase>>): Promise<Record<K, LintMessage[]>> {
  const names = Object.keys(cases) as K[];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', LINT_CASES], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`eslint failed: ${stderr || error.message}`));
      const answers = JSON.parse(stdout) as LintMessage[][];
      resolve(Object.fromEntries(names.map((name, i) => [name, answers[i] ?? []])) as Record<K, LintMessage[]>);
    });
    child.stdin?.end(JSON.stringify(names.map((name) => cases[name])));
  });
}

const vendors = ['express', 'mongoose', 'better-sqlite3', 'node-forge', 'pdf-lib', 'jsonwebtoken'];
const LIBRARY_OUTER_LAYERS = ['../../modules/identity/index.js', '../../adapters/pdf/seal.js', '../../http/app.js', '../../cli/main.js'];
const BOUNDARY_RULES = ['import-x/no-cycle', 'modules/no-module-cycle', 'modules/entry-through-index'];

const cases = {
  vendorsInModules: {
    filePath: 'src/modules/licenses/cursor.ts',
    source: vendors.map((vendor, i) => `import v${i} from '${vendor}';`).join('\n') + `\nexport const all = [${vendors.map((_, i) => `v${i}`).join(', ')}];\n`,
  },
  adaptersInHttp: {
    filePath: 'src/http/app.ts',
    source: `import { openSqliteStore } from '../adapters/storage/sqlite/sqlite-store.js';\nexport const y = openSqliteStore;\n`,
  },
  innerLayersInModules: {
    filePath: 'src/modules/licenses/cursor.ts',
    source: `import { createHash } from 'node:crypto';\nimport { StoreError } from '../../shared/errors.js';\nexport const y = [createHash, StoreError];\n`,
  },
  // licenses/issuance.ts imports validity.ts: importing issuance back closes a cycle of two files.
  fileCycle: {
    filePath: 'src/modules/licenses/validity.ts',
    source: `import { LicenseIssuance } from './issuance.js';\nexport const y = LicenseIssuance;\n`,
  },
  // licenses/issuance.ts uses departments' types; a department type that names a license would tie the two modules in a knot, types alone or not.
  typeOnlyModuleCycle: {
    filePath: 'src/modules/departments/department.ts',
    source: `import type { LicenseRecord } from '../licenses/index.js';\nexport type Latest = LicenseRecord;\n`,
  },
  // recovery imports licenses (raiseCounterAudited), which imports identity: identity naming recovery closes a cycle through a third module.
  indirectModuleCycle: {
    filePath: 'src/modules/identity/masking.ts',
    source: `import type { RecoveryStore } from '../recovery/index.js';\nexport type Store = RecoveryStore;\n`,
  },
  deepImportFromOutside: {
    filePath: 'src/http/routes/licenses.ts',
    source: `import type { LicenseIssuance } from '../../modules/licenses/issuance.js';\nexport type Issuance = LicenseIssuance;\n`,
  },
  deepImportFromAnotherModule: {
    filePath: 'src/modules/verification/license-verification.ts',
    source: `import { chinaToday } from '../licenses/validity.js';\nexport const today = chinaToday;\n`,
  },
  deepReExport: {
    filePath: 'src/main.ts',
    source: `export { LicenseQueries } from './modules/licenses/queries.js';\n`,
  },
  allowedImports: {
    filePath: 'src/modules/verification/license-verification.ts',
    source: [
      `import { chinaToday, type LicenseRecord } from '../licenses/index.js';`,
      `import type { TemplateCatalog } from '../templates/index.js';`,
      `import { VerdictBuilder } from './verdict-builder.js';`,
      `import type { UnitOfWork } from '../../shared/unit-of-work.js';`,
      `export const y = [chinaToday, VerdictBuilder];`,
      `export type Z = [LicenseRecord, TemplateCatalog, UnitOfWork<LicenseRecord>];`,
      '',
    ].join('\n'),
  },
  allowedFromOutside: {
    filePath: 'src/cli/import-command.ts',
    source: `import { LicenseImport } from '../modules/licenses/index.js';\nimport { openStore } from '../composition/open-store.js';\nexport const y = [LicenseImport, openStore];\n`,
  },
  libraryReachingOut: {
    filePath: 'src/lib/pdf-bytes/strings.ts',
    source:
      [`import { PDFDocument } from 'pdf-lib';`, ...LIBRARY_OUTER_LAYERS.map((path, i) => `import * as o${i} from '${path}';`)].join('\n') +
      `\nexport const all = [PDFDocument, ${LIBRARY_OUTER_LAYERS.map((_, i) => `o${i}`).join(', ')}];\n`,
  },
  libraryDeepImport: {
    filePath: 'src/adapters/pdf/seal.ts',
    source: `import { Lexer } from '../../lib/pdf-bytes/lexer.js';\nexport const y = Lexer;\n`,
  },
  libraryViaIndex: {
    filePath: 'src/modules/verification/license-verification.ts',
    source: `import { lastTextEntry } from '../../lib/pdf-bytes/index.js';\nexport const y = lastTextEntry;\n`,
  },
} satisfies Record<string, LintCase>;

describe('import boundaries (eslint)', () => {
  let results: Record<keyof typeof cases, LintMessage[]>;
  const messages = (name: keyof typeof cases, ...ruleIds: string[]) => results[name].filter((m) => m.ruleId !== null && ruleIds.includes(m.ruleId)).map((m) => m.message);

  beforeAll(async () => {
    results = await lintCases(cases);
  }, 180_000);

  test('src/modules may not import express, mongoose, better-sqlite3, node-forge, pdf-lib or jsonwebtoken', () => {
    const found = messages('vendorsInModules', 'no-restricted-imports');
    expect(found).toHaveLength(vendors.length);
    for (const message of found) expect(message).toContain('vendor-free');
  });

  test('src/http may not import adapters', () => {
    expect(messages('adaptersInHttp', 'no-restricted-imports')).toEqual([expect.stringContaining('http/ may not import adapters/')]);
  });

  test('node built-ins and inner layers stay allowed in src/modules', () => {
    expect(messages('innerLayersInModules', 'no-restricted-imports', ...BOUNDARY_RULES)).toEqual([]);
  });

  test('a file importing a file that imports it back is a cycle', () => {
    expect(messages('fileCycle', 'import-x/no-cycle')).toEqual([expect.stringContaining('Dependency cycle')]);
  });

  test('two modules importing each other are a cycle, even through type-only imports', () => {
    expect(messages('typeOnlyModuleCycle', 'modules/no-module-cycle')).toEqual([expect.stringContaining('licenses already depends on departments (licenses → departments)')]);
  });

  test('a module importing one that reaches it through a third is a cycle, and the message names the path', () => {
    expect(messages('indirectModuleCycle', 'modules/no-module-cycle')).toEqual([
      'modules/identity may not import modules/recovery: recovery already depends on identity (recovery → licenses → identity), and the modules would form a cycle. Move what both need into one of them, or pass it in as a port.',
    ]);
  });

  test('outside a module, its files are reached only through its index.ts', () => {
    expect(messages('deepImportFromOutside', 'modules/entry-through-index')).toEqual([
      expect.stringContaining('Import licenses through modules/licenses/index.js, not modules/licenses/issuance.js'),
    ]);
    expect(messages('deepReExport', 'modules/entry-through-index')).toEqual([expect.stringContaining('not modules/licenses/queries.js')]);
  });

  test('another module is reached only through its index.ts', () => {
    expect(messages('deepImportFromAnotherModule', 'modules/entry-through-index')).toEqual([expect.stringContaining('not modules/licenses/validity.js')]);
  });

  test("index imports, a module's own siblings, shared/ and composition/ stay allowed", () => {
    expect(results.allowedImports.filter((m) => m.ruleId === null)).toEqual([]);
    expect(messages('allowedImports', 'no-restricted-imports', ...BOUNDARY_RULES)).toEqual([]);
    expect(messages('allowedFromOutside', 'no-restricted-imports', ...BOUNDARY_RULES)).toEqual([]);
  });

  test('src/lib is vendor-free and may not import modules, adapters, http or cli', () => {
    expect(messages('libraryReachingOut', 'no-restricted-imports')).toEqual([
      expect.stringContaining('lib/ is vendor-free'),
      ...LIBRARY_OUTER_LAYERS.map(() => expect.stringContaining('lib/ may not depend on the vault')),
    ]);
  });

  test('src/lib is used through its index.ts only', () => {
    expect(messages('libraryDeepImport', 'no-restricted-imports')).toEqual([expect.stringContaining('through its index.ts only')]);
    expect(messages('libraryViaIndex', 'no-restricted-imports')).toEqual([]);
  });
});
