import { open } from 'node:fs/promises';

/** fsync of a file or a directory (for a directory: the names in it, after a create, rename or unlink). */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `text` to `path` and syncs it before resolving. */
export async function writeFileSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
