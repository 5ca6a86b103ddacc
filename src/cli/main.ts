#!/usr/bin/env node
import { isVaultError } from '../shared/errors.js';
import { ADMIN_USAGE, runAdminCommand } from './admin-command.js';
import { AUDIT_USAGE, runAuditCommand } from './audit-command.js';
import { BACKUP_USAGE, runBackupCommand } from './backup-command.js';
import { DEMO_OTP_USAGE, runDemoOtpCommand } from './demo-otp-command.js';
import { FSCK_USAGE, runFsckCommand } from './fsck-command.js';
import { IMPORT_USAGE, runImportCommand } from './import-command.js';
import { PKI_USAGE, runPkiCommand } from './pki-command.js';
import { RECONCILE_USAGE, runReconcileCommand } from './reconcile-command.js';
import { VERIFY_USAGE, runVerifyCommand } from './verify-command.js';
import { UsageError, type CommandIo } from './usage-error.js';

type CommandRunner = (args: readonly string[], io: CommandIo) => Promise<number | void>;

/** Every command of `license-vault`, by name: its usage and what runs it (README's command table lists the same). */
export const COMMANDS: Readonly<Record<string, { readonly usage: string; readonly run: CommandRunner }>> = {
  verify: { usage: VERIFY_USAGE, run: runVerifyCommand },
  pki: { usage: PKI_USAGE, run: runPkiCommand },
  admin: { usage: ADMIN_USAGE, run: runAdminCommand },
  audit: { usage: AUDIT_USAGE, run: runAuditCommand },
  import: { usage: IMPORT_USAGE, run: runImportCommand },
  fsck: { usage: FSCK_USAGE, run: runFsckCommand },
  backup: { usage: BACKUP_USAGE, run: (args, io) => runBackupCommand('backup', args, io) },
  restore: { usage: BACKUP_USAGE, run: (args, io) => runBackupCommand('restore', args, io) },
  reconcile: { usage: RECONCILE_USAGE, run: runReconcileCommand },
  'demo-otp': { usage: DEMO_OTP_USAGE, run: runDemoOtpCommand },
};

const USAGE = `usage:\n${[...new Set(Object.values(COMMANDS).map((command) => command.usage))].join('\n\n')}\n`;

/** node:util parseArgs rejects unknown or malformed options with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS');
}

/** Runs one command line; resolves to the exit code (0 done, 1 refused or failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  try {
    const command = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new UsageError(name === undefined ? 'no command given' : `unknown command ${name}`);
    return (await command.run(args, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      process.stderr.write(`license-vault: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    const message = isVaultError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`license-vault: ${message}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && /cli[\\/]main\.[jt]s$/.test(process.argv[1])) {
  void runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    env: process.env,
    now: () => new Date(),
  }).then((code) => {
    process.exitCode = code;
  });
}
