import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadOrCreateFingerprintKeys, rotateFingerprintKey } from '../adapters/keys/fingerprint-keys.js';
import { ecdsaCheckpointSigner } from '../adapters/pki/checkpoint-signer.js';
import { loadOrCreateTokenSigningKey } from '../adapters/tokens/signing-key.js';
import { openStore } from '../composition/open-store.js';
import { loadConfig } from '../config/index.js';
import { AuditCheckpoint } from '../http/schemas/audit.js';
import { createCheckpoint, verifyAuditLog, type AuditEntry, type AuditLog } from '../modules/audit/index.js';
import { HOLDER_TYPES, isHolderType, maskIdentityNumbersInText } from '../modules/identity/index.js';
import { fingerprintsFor, keyedHolderFingerprinter } from '../modules/licenses/index.js';
import { systemClock } from '../shared/clock.js';
import { RequestError } from '../shared/errors.js';
import { cliActor } from './cli-actor.js';
import { UsageError, type CommandIo } from './usage-error.js';

export const AUDIT_USAGE = `license-vault audit verify [--checkpoint FILE]   exit 0 if the chain holds, 1 naming the first bad entry
license-vault audit checkpoint                   print a signed checkpoint (keep it elsewhere)
license-vault audit holder NUMBER [--holder-type citizen|organization]
                                                 print the audit entries about one holder (look-ups, reads, refusals…), found by its fingerprint under every kept key
license-vault audit rotate-fingerprint-key       make a new audit fingerprint key current, keeping the old ones (restart every node)`;

const ACTIONS = ['verify', 'checkpoint', 'holder', 'rotate-fingerprint-key'] as const;

/** `license-vault audit …`: verify the hash-chained audit log, export signed checkpoints. */
export async function runAuditCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = args;
  const config = loadConfig(io.env);
  const { values, positionals } = parseArgs({ args: rest, options: { checkpoint: { type: 'string' }, 'holder-type': { type: 'string' } }, strict: true, allowPositionals: true });
  if (!ACTIONS.some((known) => known === action)) throw new UsageError(action === undefined ? 'audit needs an action' : `unknown audit action ${action}`);
  if (action === 'rotate-fingerprint-key') {
    const { ring, file } = await rotateFingerprintKey(config.certsDir, io.now());
    io.out(`audit fingerprint key ${ring.current} is now current in ${file} (${ring.keys.size} kept); restart every node\n`);
    return 0;
  }
  if (action === 'holder') {
    const [number] = positionals;
    const holderType = values['holder-type'];
    if (number === undefined || positionals.length > 1) throw new UsageError('audit holder needs one holder number');
    if (holderType !== undefined && !isHolderType(holderType)) throw new UsageError(`--holder-type must be one of ${HOLDER_TYPES.join(', ')}`);
    const { ring } = await loadOrCreateFingerprintKeys(config.certsDir, io.now());
    const wanted = fingerprintsFor(keyedHolderFingerprinter(ring), number, holderType, systemClock);
    const store = await openStore(config);
    try {
      const entries = await holderEntriesOf(store.audit, wanted);
      for (const entry of entries) io.out(`${JSON.stringify(entry)}\n`);
      const found = entries.length;
      // A search by number is itself a use of personal data: the log says who searched, for whom (masked) and how much came back.
      const holder = maskIdentityNumbersInText(number.trim());
      await store.audit.append({ at: io.now().toISOString(), actor: cliActor(), action: 'audit.search', target: null, details: { holder, entries: found } });
    } finally {
      await store.close();
    }
    return 0;
  }
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

/** Every entry about the holder these fingerprints name, oldest first, found through the holder index a page at a time. */
async function holderEntriesOf(log: AuditLog, fingerprints: readonly string[]): Promise<AuditEntry[]> {
  const newestFirst: AuditEntry[] = [];
  for (let beforeSeq: number | undefined; ;) {
    const page = await log.listByHolder(fingerprints, { ...(beforeSeq === undefined ? {} : { beforeSeq }), limit: 1000 });
    newestFirst.push(...page);
    const oldest = page.at(-1);
    if (!oldest || page.length < 1000) return newestFirst.reverse();
    beforeSeq = oldest.seq;
  }
}
