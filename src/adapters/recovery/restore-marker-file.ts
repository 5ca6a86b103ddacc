import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { RestoreMarker, RestoreNote } from '../../modules/recovery/index.js';
import { syncPath, writeFileSynced } from './synced-files.js';

const MARKER_FILE = 'RESTORED-FROM-BACKUP.json';

const Note = z.object({ restoredAt: z.string(), backup: z.string() }).strict();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * A file in the data directory saying the store there was restored from a
 * backup. `license-vault restore` writes it with the database; `license-vault
 * reconcile` removes it. A file that cannot be read still counts as present.
 */
export class RestoreMarkerFile implements RestoreMarker {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, MARKER_FILE);
  }

  async write(note: RestoreNote): Promise<void> {
    await writeFileSynced(this.file, `${JSON.stringify(note, null, 2)}\n`);
    await syncPath(dirname(this.file));
  }

  async read(): Promise<RestoreNote | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const parsed = Note.safeParse(parseJson(text));
    return parsed.success ? parsed.data : { restoredAt: 'an unknown time', backup: `an unknown backup (${MARKER_FILE} is unreadable)` };
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
    await syncPath(dirname(this.file));
  }
}
