/**
 * Tests run as CommonJS: @swc/jest strips the types and rewrites the ESM
 * imports, so jest needs no experimental VM modules. The source's `.js`
 * import suffixes (required by Node's ESM resolver) map back to `.ts`.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  // Fails any test file whose logs or public responses hold an unmasked citizen ID number.
  setupFilesAfterEnv: ['<rootDir>/test/support/pii-sweep-setup.ts'],
};
