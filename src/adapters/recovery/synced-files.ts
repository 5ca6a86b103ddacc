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

/** Writes `text` to `path`, owner-only (0600) whatever the umask, and syncs it before resolving. */
export async function writeFileSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
