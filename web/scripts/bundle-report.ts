/**
 * What each screen of the built console makes a browser download, gzipped:
 * the sign-in page (the entry chunk and what it imports) and each desk (that
 * plus the desk's lazily loaded chunk and its imports). Reads the manifest
 * Vite writes into dist/console.
 *
 *   npm run build && npm run console:bundle
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  readonly file: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
}

export interface BundleFigures {
  /** Gzipped bytes of the JavaScript and CSS the sign-in page loads. */
  readonly signIn: number;
  /** Per lazily loaded screen (its source path): gzipped bytes of everything that screen needs, the entry included. */
  readonly screens: Readonly<Record<string, number>>;
  /** The same, with what the screen itself loads later on demand (the batch desk's spreadsheet readers): the most it can cost. */
  readonly screensAtMost: Readonly<Record<string, number>>;
}

export function bundleFigures(dir: string): BundleFigures {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gzipped = new Map<string, number>();
  const sizeOf = (file: string): number => {
    let size = gzipped.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;
      gzipped.set(file, size);
    }
    return size;
  };
  const filesOf = (key: string, into: Set<string>): Set<string> => {
    const chunk = manifest[key];
    if (!chunk || into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const css of chunk.css ?? []) into.add(css);
    for (const imported of chunk.imports ?? []) filesOf(imported, into);
    return into;
  };
  const total = (files: Set<string>): number => [...files].reduce((sum, file) => sum + sizeOf(file), 0);
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entry) throw new TypeError('the console manifest has no entry');
  const entryFiles = filesOf(entry, new Set());
  const screenKeys = Object.entries(manifest).filter(([, chunk]) => chunk.isDynamicEntry && chunk.src?.endsWith('.tsx'));
  const screens = Object.fromEntries(screenKeys.map(([key, chunk]) => [chunk.src ?? key, total(filesOf(key, new Set(entryFiles)))]));
  const screensAtMost = Object.fromEntries(
    screenKeys.map(([key, chunk]) => {
      const files = filesOf(key, new Set(entryFiles));
      for (const lazy of chunk.dynamicImports ?? []) filesOf(lazy, files);
      return [chunk.src ?? key, total(files)];
    }),
  );
  return { signIn: total(entryFiles), screens, screensAtMost };
}

const KIB = 1024;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = bundleFigures(fileURLToPath(new URL('../../dist/console', import.meta.url)));
  const kib = (size: number) => `${(size / KIB).toFixed(1).padStart(7)} KiB`;
  process.stdout.write(`${'screen'.padEnd(34)} ${'opened'.padStart(11)} ${'at most'.padStart(11)}   bound (gzipped)\n`);
  process.stdout.write(`${'sign-in page'.padEnd(34)} ${kib(figures.signIn)} ${kib(figures.signIn)}   300 KiB\n`);
  for (const [name, size] of Object.entries(figures.screens)) {
    process.stdout.write(`${name.padEnd(34)} ${kib(size)} ${kib(figures.screensAtMost[name] ?? size)}   700 KiB\n`);
  }
}
