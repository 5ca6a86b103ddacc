import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ecdsaCheckpointSigner } from '../adapters/pki/checkpoint-signer.js';
import { loadOrCreateTokenSigningKey } from '../adapters/tokens/signing-key.js';
import { openStore } from '../composition/open-store.js';
import { loadConfig } from '../config/index.js';
import { AuditCheckpoint } from '../http/schemas/audit.js';
import { createCheckpoint, verifyAuditLog } from '../modules/audit/index.js';
import { RequestError } from '../shared/errors.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const AUDIT_USAGE = `license-vault audit verify [--checkpoint FILE]   exit 0 if the chain holds, 1 naming the first bad entry
license-vault audit checkpoint                   print a signed checkpoint (keep it elsewhere)`;

/** `license-vault audit …`: verify the hash-chained audit log, export signed checkpoints. */
export async function runAuditCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = args;
  const config = loadConfig(io.env);
  const { values } = parseArgs({ args: rest, options: { checkpoint: { type: 'string' } }, strict: true });
  if (action !== 'verify' && action !== 'checkpoint') throw new UsageError(action === undefined ? 'audit needs an action' : `unknown audit action ${action}`);
  const signer = ecdsaCheckpointSigner(await loadOrCreateTokenSigningKey(config.certsDir));
  const store = await openStore(config);
  try {
    if (action === 'checkpoint') {
      io.out(`${JSON.stringify(await createCheckpoint(store.audit, signer, io.now()), null, 2)}\n`);
      return 0;
    }
    let checkpoint: AuditCheckpoint | undefined;
    if (values.checkpoint !== undefined) {
      // The same shape POST /api/v1/audit/checkpoints answers with.
      const parsed = AuditCheckpoint.safeParse(JSON.parse(await readFile(values.checkpoint, 'utf8')));
      if (!parsed.success) throw new RequestError('ERR_REQUEST_INVALID', `${values.checkpoint} is not an audit checkpoint`);
      checkpoint = parsed.data;
    }
    const result = await verifyAuditLog(store.audit, checkpoint ? { value: checkpoint, signer } : undefined);
    io.out(result.ok ? `audit log OK: ${result.entries} entries, last seq ${result.lastSeq}\n` : `audit log BROKEN at seq ${result.problem?.seq}: ${result.problem?.reason}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}
