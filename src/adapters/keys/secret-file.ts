import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The text of a secret file, made by `generate` and written 0600 (its folder
 * 0700) when missing. When several processes start at once, the first write
 * wins and the others read it. `created` tells the caller to log it.
 */
export async function readOrCreateSecretFile(file: string, generate: () => string): Promise<{ readonly text: string; readonly created: boolean }> {
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null) return { text: existing, created: false };
  const generated = generate();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, generated, { mode: 0o600, flag: 'wx' });
    return { text: generated, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { text: await readFile(file, 'utf8'), created: false };
  }
}
