import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import modules from './lint/module-rules.js';

const vendors = [
  'express',
  'mongoose',
  'mongodb',
  'better-sqlite3',
  'node-forge',
  'pdf-lib',
  'fontkit',
  'qrcode',
  'jsonwebtoken',
  'pino',
  'helmet',
  'multer',
  'pkcs11js',
  'openid-client',
  'oidc-provider',
  'otpauth',
];
const vendorPatterns = vendors.flatMap((name) => [name, `${name}/*`]);
/** A library of src/lib is used through its index.ts only. */
const libraryInternals = { group: ['**/lib/*/*', '!**/lib/*/index.js'], message: 'use a library of src/lib through its index.ts only.' };

export default tseslint.config(
  // The dev-only worker shim is plain JavaScript on purpose (it loads tsx inside the thread).
  { ignores: ['web/src/api/schema.d.ts', 'dist/', 'coverage/', 'node_modules/', 'data/', 'test-results/', 'src/composition/vault-worker.dev.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Port implementations are async so that a throw becomes a rejection, with or without an await.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Business logic stays vendor-free: ports in, plain objects out.
    files: ['src/modules/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: vendorPatterns, message: 'modules/ and shared/ are vendor-free: put the vendor behind a port in adapters/.' },
            { group: ['**/adapters/**', '**/http/**', '**/cli/**', '**/main.js'], message: 'modules/ and shared/ may not depend on outer layers.' },
            libraryInternals,
          ],
        },
      ],
    },
  },
  {
    // Libraries (lib/pdf-bytes) are vendor-free and know nothing of the vault: the vault's layers use them, never the reverse.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: vendorPatterns, message: 'lib/ is vendor-free: put the vendor behind a port in adapters/.' },
            {
              group: ['**/modules/**', '**/adapters/**', '**/http/**', '**/cli/**', '**/composition/**', '**/config/**', '**/main.js'],
              message: 'lib/ may not depend on the vault: modules/, adapters/, http/ and cli/ use it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    // The HTTP edge talks to use cases and ports, never to a store or vendor adapter.
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/adapters/**'], message: 'http/ may not import adapters/: main.ts wires them in.' }, libraryInternals],
        },
      ],
    },
  },
  {
    // No import cycles; a module is used through its index.ts and depends on no module that depends on it.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX, modules },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // Packages cannot import back into src/: not following them cuts the rule's time by about 40 %.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'modules/entry-through-index': 'error',
      'modules/no-module-cycle': 'error',
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/cli/**/*.ts', 'src/composition/**/*.ts', 'src/config/**/*.ts', 'src/main.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [libraryInternals] }],
    },
  },
  {
    // The console runs in the browser: it talks to the vault over its typed API only, and may share pure rules (modules/, shared/) with it.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/adapters/**', '**/src/http/**', '**/src/composition/**', '**/src/cli/**', '**/src/config/**', '**/src/main.js'],
              message: 'the console shares only modules/ and shared/ with the vault; everything else goes through the API.',
            },
            { group: vendorPatterns, message: 'the console runs in the browser: server vendors stay on the server.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // jest's asymmetric matchers and supertest's response bodies are typed `any`.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
