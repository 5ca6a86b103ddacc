import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PngEmbedder } from 'pdf-lib';
import type { SealImageSource } from '../../modules/templates/index.js';
import { TemplateError } from '../../shared/errors.js';
import { checkPngStructure, PngStructureError } from './png-structure.js';
import { MAX_SEAL_IMAGE_SIDE } from './seal.js';

/** Largest seal image file accepted. */
export const MAX_SEAL_IMAGE_BYTES = 1024 * 1024;

function unusable(path: string, why: string, cause?: unknown): TemplateError {
  return new TemplateError('ERR_SEAL_IMAGE_UNUSABLE', `seal image ${path}: ${why}`, { sealImage: path }, cause === undefined ? undefined : { cause });
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Checks the PNG's structure and size with Node's zlib, then decodes it once with pdf-lib, as every render will. */
async function checkPng(bytes: Uint8Array, path: string): Promise<void> {
  try {
    checkPngStructure(bytes, MAX_SEAL_IMAGE_SIDE);
  } catch (error) {
    if (error instanceof PngStructureError) throw unusable(path, error.message, error);
    throw error;
  }
  try {
    await PngEmbedder.for(bytes);
  } catch (error) {
    throw unusable(path, `the PNG cannot be decoded (${error instanceof Error ? error.message : String(error)})`, error);
  }
}

/**
 * The departments' seal images, in one folder (`{VAULT_CERTS_DIR}/seals`):
 * a department's `sealImage` is a path relative to it. A path never leaves
 * the folder, symbolic links included (both are resolved before the check).
 * Each file is read and decoded once and kept while its size, modification
 * time and inode stay the same, so a replaced image is picked up on the
 * next use; a failure is not kept.
 */
export class SealImageFolder implements SealImageSource {
  readonly #loaded = new Map<string, { readonly version: string; readonly png: Promise<Uint8Array> }>();

  constructor(private readonly folder: string) {}

  async load(path: string): Promise<Uint8Array> {
    const file = await this.locate(path);
    const info = await stat(file).catch((error: unknown) => {
      throw unusable(path, `cannot be read (${errnoOf(error) ?? String(error)})`, error);
    });
    if (!info.isFile()) throw unusable(path, 'not a file');
    if (info.size > MAX_SEAL_IMAGE_BYTES) throw unusable(path, `${info.size} bytes; at most ${MAX_SEAL_IMAGE_BYTES} are accepted`);
    const version = `${info.ino}:${info.size}:${info.mtimeMs}`;
    const kept = this.#loaded.get(file);
    if (kept?.version === version) return kept.png;
    const png = this.read(file, path);
    this.#loaded.set(file, { version, png });
    png.catch(() => {
      if (this.#loaded.get(file)?.png === png) this.#loaded.delete(file);
    });
    return png;
  }

  private async read(file: string, path: string): Promise<Uint8Array> {
    const bytes = await readFile(file).then(
      (buffer) => new Uint8Array(buffer),
      (error: unknown) => {
        throw unusable(path, `cannot be read (${errnoOf(error) ?? String(error)})`, error);
      },
    );
    if (bytes.length > MAX_SEAL_IMAGE_BYTES) throw unusable(path, `more than ${MAX_SEAL_IMAGE_BYTES} bytes`);
    await checkPng(bytes, path);
    return bytes;
  }

  /** The real path of the image, which must be inside the real path of the folder. */
  private async locate(path: string): Promise<string> {
    if (path.length === 0 || isAbsolute(path) || path.includes('\0') || path.split(/[\\/]/).includes('..')) throw unusable(path, 'must be a path inside the seals folder');
    let folder: string;
    let file: string;
    try {
      folder = await realpath(this.folder);
      file = await realpath(resolve(folder, path));
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw unusable(path, 'no such file in the seals folder', error);
      throw unusable(path, `cannot be read (${code ?? String(error)})`, error);
    }
    const inside = relative(folder, file);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw unusable(path, 'resolves to a file outside the seals folder');
    return file;
  }
}
