import { execFile } from 'node:child_process';
import { join } from 'node:path';

// Each case starts eslint with type information: seconds of CPU, a minute or more when the machine is loaded.
jest.setTimeout(180_000);

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
});
