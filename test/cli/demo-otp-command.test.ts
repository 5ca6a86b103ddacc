import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" (base32 below) at T = 59 s gives 94287082; six digits: 287082.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('license-vault demo-otp', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-demo-otp-'));
    mkdirSync(join(dir, 'data'));
    const staff = [{ username: 'wangfang', displayName: '王芳', role: 'clerk', department: null, password: 'p', totpSecret: RFC_SECRET }];
    writeFileSync(join(dir, 'data', 'demo-credentials.json'), JSON.stringify({ accounts: [], holders: [], staff }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[], at: Date) => {
    let out = '';
    const code = await runCli(args, { out: (text) => (out += text), env: { VAULT_DATA_DIR: join(dir, 'data') }, now: () => at });
    return { code, out };
  };

  test('prints the code the demo user’s authenticator app shows now, and how long it lasts (RFC 6238 test vector)', async () => {
    await expect(run(['demo-otp', 'wangfang'], new Date(59_000))).resolves.toEqual({ code: 0, out: '287082  (王芳, valid 1 s more; each code signs in once)\n' });
  });

  test('an unknown user or a missing demo set-up is a usage error naming what there is', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(run(['demo-otp', 'nobody'], new Date(59_000))).resolves.toMatchObject({ code: 2 });
      expect(String(stderr.mock.calls[0]?.[0])).toContain('there are: wangfang');
      const missing = await runCli(['demo-otp', 'wangfang'], { out: () => undefined, env: { VAULT_DATA_DIR: join(dir, 'absent') }, now: () => new Date() });
      expect(missing).toBe(2);
      expect(String(stderr.mock.calls[1]?.[0])).toContain('npm start');
    } finally {
      stderr.mockRestore();
    }
  });
});
