import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

describe("the console's API types", () => {
  test('web/src/api/schema.d.ts is what the route table generates today, so a changed route reaches the console’s type check', async () => {
    const checked = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'web/scripts/openapi-types.ts', '--check'], { cwd: ROOT }).then(
      () => 'fresh',
      (error: { stderr?: string }) => error.stderr ?? 'failed',
    );
    expect(checked).toBe('fresh');
  }, 60_000);
});
