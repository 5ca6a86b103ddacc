import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

/**
 * Lints `source` with the project's own config as if it were the file at
 * `filePath` (an existing file, so the type-aware rules have a program).
 * The CLI runs in a child process: eslint loads its config as ESM.
 */
function restrictedImports(filePath: string, source: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [ESLINT, '--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: ROOT }, (error, stdout) => {
      // eslint exits 1 when it reports problems; only unparsable output is a failure here.
      try {
        const [result] = JSON.parse(stdout) as { messages: LintMessage[] }[];
        resolve((result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
      } catch {
        reject(error ?? new Error(`eslint printed no JSON: ${stdout}`));
      }
    });
    child.stdin?.end(source);
  });
}

describe('import boundaries (eslint)', () => {
  test('src/modules may not import express, mongoose, better-sqlite3, node-forge, pdf-lib or jsonwebtoken', async () => {
    const vendors = ['express', 'mongoose', 'better-sqlite3', 'node-forge', 'pdf-lib', 'jsonwebtoken'];
    const source = vendors.map((vendor, i) => `import v${i} from '${vendor}';`).join('\n') + `\nexport const all = [${vendors.map((_, i) => `v${i}`).join(', ')}];\n`;
    const messages = await restrictedImports('src/modules/licenses/cursor.ts', source);
    expect(messages).toHaveLength(vendors.length);
    for (const message of messages) expect(message).toContain('vendor-free');
  });

  test('src/http may not import adapters', async () => {
    const messages = await restrictedImports(
      'src/http/app.ts',
      `import { openSqliteStore } from '../adapters/storage/sqlite/sqlite-store.js';\nexport const y = openSqliteStore;\n`,
    );
    expect(messages).toEqual([expect.stringContaining('http/ may not import adapters/')]);
  });

  test('node built-ins and inner layers stay allowed in src/modules', async () => {
    const messages = await restrictedImports(
      'src/modules/licenses/cursor.ts',
      `import { createHash } from 'node:crypto';\nimport { StoreError } from '../../shared/errors.js';\nexport const y = [createHash, StoreError];\n`,
    );
    expect(messages).toEqual([]);
  });

  // Each case is a type-aware eslint run of its own: tens of seconds on a busy machine.
  const ESLINT_RUN_MS = 90_000;

  test(
    'src/lib is vendor-free and may not import modules, adapters, http or cli',
    async () => {
      const outer = ['../../modules/identity/index.js', '../../adapters/pdf/seal.js', '../../http/app.js', '../../cli/main.js'];
      const source =
        [`import { PDFDocument } from 'pdf-lib';`, ...outer.map((path, i) => `import * as o${i} from '${path}';`)].join('\n') +
        `\nexport const all = [PDFDocument, ${outer.map((_, i) => `o${i}`).join(', ')}];\n`;
      const messages = await restrictedImports('src/lib/pdf-bytes/strings.ts', source);
      expect(messages).toEqual([expect.stringContaining('lib/ is vendor-free'), ...outer.map(() => expect.stringContaining('lib/ may not depend on the vault'))]);
    },
    ESLINT_RUN_MS,
  );

  test(
    'src/lib is used through its index.ts only',
    async () => {
      const [deep, viaIndex] = await Promise.all([
        restrictedImports('src/adapters/pdf/seal.ts', `import { Lexer } from '../../lib/pdf-bytes/lexer.js';\nexport const y = Lexer;\n`),
        restrictedImports('src/modules/verification/license-verification.ts', `import { lastTextEntry } from '../../lib/pdf-bytes/index.js';\nexport const y = lastTextEntry;\n`),
      ]);
      expect(deep).toEqual([expect.stringContaining('through its index.ts only')]);
      expect(viaIndex).toEqual([]);
    },
    ESLINT_RUN_MS,
  );
});
