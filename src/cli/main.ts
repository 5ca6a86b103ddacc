#!/usr/bin/env node
import { isVaultError } from '../shared/errors.js';
import { ADMIN_USAGE, runAdminCommand } from './admin-command.js';
import { AUDIT_USAGE, runAuditCommand } from './audit-command.js';
import { BACKUP_USAGE, runBackupCommand } from './backup-command.js';
import { FSCK_USAGE, runFsckCommand } from './fsck-command.js';
import { IMPORT_USAGE, runImportCommand } from './import-command.js';
import { PKI_USAGE, runPkiCommand } from './pki-command.js';
import { RECONCILE_USAGE, runReconcileCommand } from './reconcile-command.js';
import { VERIFY_USAGE, runVerifyCommand } from './verify-command.js';
import { UsageError, type CommandIo } from './usage-error.js';

const USAGE = `usage:\n${VERIFY_USAGE}\n\n${PKI_USAGE}\n\n${ADMIN_USAGE}\n\n${AUDIT_USAGE}\n\n${IMPORT_USAGE}\n\n${FSCK_USAGE}\n\n${BACKUP_USAGE}\n\n${RECONCILE_USAGE}\n`;

/** node:util parseArgs rejects unknown or malformed options with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS');
}

/** Runs one command line; resolves to the exit code (0 done, 1 refused or failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'pki') await runPkiCommand(args, io);
    else if (command === 'admin') await runAdminCommand(args, io);
    else if (command === 'audit') return await runAuditCommand(args, io);
    else if (command === 'verify') return await runVerifyCommand(args, io);
    else if (command === 'import') return await runImportCommand(args, io);
    else if (command === 'fsck') return await runFsckCommand(args, io);
    else if (command === 'backup' || command === 'restore') return await runBackupCommand(command, args, io);
    else if (command === 'reconcile') return await runReconcileCommand(args, io);
    else throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
    return 0;
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
