import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { otpauthTotp } from '../adapters/totp/otpauth-totp.js';
import { loadConfig } from '../config/index.js';
import { stepOf, TOTP_PERIOD_SECONDS } from '../modules/staff/index.js';
import { DEMO_CREDENTIALS_FILE, type DemoStaffUser } from '../setup/demo-setup.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const DEMO_OTP_USAGE = `  license-vault demo-otp <user name>
      the 动态口令 a demo member of staff's authenticator app would show now, from
      {VAULT_DATA_DIR}/demo-credentials.json (the embedded default's demo set-up):
      for trying the console without enrolling an app`;

/** Prints the current one-time password of a demo member of staff, and how long it lasts. */
export async function runDemoOtpCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const [username] = positionals;
  if (username === undefined || positionals.length !== 1) throw new UsageError('demo-otp needs one user name');
  const file = join(loadConfig(io.env).dataDir, DEMO_CREDENTIALS_FILE);
  let staff: readonly DemoStaffUser[];
  try {
    staff = (JSON.parse(readFileSync(file, 'utf8')) as { staff?: readonly DemoStaffUser[] }).staff ?? [];
  } catch {
    throw new UsageError(`no demo credentials at ${file}: start the vault once with the demo set-up (npm start)`);
  }
  const user = staff.find((candidate) => candidate.username === username);
  if (!user?.totpSecret) throw new UsageError(`no demo member of staff ${username} with a TOTP secret; there are: ${staff.map((s) => s.username).join(', ')}`);
  const now = io.now();
  const step = stepOf(now);
  const secondsLeft = (step + 1) * TOTP_PERIOD_SECONDS - Math.floor(now.getTime() / 1000);
  io.out(`${otpauthTotp.codeAt(user.totpSecret, step)}  (${user.displayName}, valid ${secondsLeft} s more; each code signs in once)\n`);
  return 0;
}
