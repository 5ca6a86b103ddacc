import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The staff console, built into the vault's output (dist/console) and served
 * by the vault itself at /console. Each desk is its own chunk, loaded when
 * its route is opened.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
    // .vite/manifest.json: which chunks each page loads, for the bundle report (web/scripts/bundle-report.ts).
    manifest: true,
    rolldownOptions: {
      // antd marks its modules "use client" for React Server Components, which a browser-only bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
