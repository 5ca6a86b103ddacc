import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VAULT_CHECKPOINT_FORMAT, type CheckpointArchive, type VaultCheckpoint } from '../../modules/recovery/index.js';
import { syncPath, writeFileSynced } from './synced-files.js';

const CheckpointFile = z
  .object({
    format: z.literal(VAULT_CHECKPOINT_FORMAT),
    at: z.iso.datetime(),
    keyId: z.string().min(1).max(200),
    audit: z.object({ seq: z.number().int().min(0), hash: z.string().max(64) }).strict(),
    counters: z.array(z.object({ scope: z.string().min(1).max(100), issuerCreditCode: z.string().min(1).max(40), last: z.number().int().min(0) }).strict()).max(100_000),
    signature: z.string().min(1).max(400),
  })
  .strict();

const NAME = /^checkpoint-(\d{8}T\d{9}Z)-(\d+)\.json$/;

/** Sortable and safe in a file name: 2026-11-21T02:00:00.123Z → 20261121T020000123Z. */
function compactInstant(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

/**
 * Checkpoints as JSON files in a directory of their own (VAULT_CHECKPOINT_DIR,
 * meant for other storage than the data directory), one file per checkpoint,
 * named by instant and audit entry so several vault processes never write the
 * same file. Each is written to a temporary name, synced and renamed in. The
 * newest `keep` are kept.
 */
export class CheckpointDirectory implements CheckpointArchive {
  constructor(
    private readonly dir: string,
    private readonly keep = 100,
  ) {}

  async save(checkpoint: VaultCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const name = `checkpoint-${compactInstant(checkpoint.at)}-${checkpoint.audit.seq}.json`;
    const partial = join(this.dir, `.${name}.${process.pid}.partial`);
    await writeFileSynced(partial, `${JSON.stringify(checkpoint, null, 2)}\n`);
    await rename(partial, join(this.dir, name));
    await syncPath(this.dir);
    await this.prune();
  }

  async recent(limit: number): Promise<readonly VaultCheckpoint[]> {
    const found: VaultCheckpoint[] = [];
    for (const name of (await this.names()).slice(0, limit)) {
      const parsed = CheckpointFile.safeParse(
        await readFile(join(this.dir, name), 'utf8')
          .then(JSON.parse)
          .catch(() => null),
      );
      if (parsed.success) found.push(parsed.data);
    }
    return found;
  }

  /** Checkpoint file names, newest first. */
  private async names(): Promise<string[]> {
    const entries = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return entries.filter((name) => NAME.test(name)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  }

  private async prune(): Promise<void> {
    for (const name of (await this.names()).slice(this.keep)) await rm(join(this.dir, name), { force: true });
  }
}
