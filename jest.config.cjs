/**
 * Tests run as CommonJS: @swc/jest strips the types and rewrites the ESM
 * imports, so jest needs no experimental VM modules. The source's `.js`
 * import suffixes (required by Node's ESM resolver) map back to `.ts`.
 *
 * Two lanes, both run by `npm test` (`jest`): `fast` holds the unit,
 * property, contract, CLI and HTTP tests, in-process; `e2e` holds what starts
 * the built vault as processes (crash, soak, two processes, the hostile
 * corpus). `npm run test:fast` runs the first only (`--selectProjects fast`).
 */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(ts|js|mjs)$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // The OpenID Connect packages and their dependencies ship as ES modules only: swc rewrites them to CommonJS too.
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oidc-provider|oauth4webapi|jose|quick-lru|nanoid|@koa|koa|eta)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30000,
  // Fails any test file whose logs or public responses hold an unmasked citizen ID number.
  setupFilesAfterEnv: ['<rootDir>/test/support/pii-sweep-setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: [
    {
      ...shared,
      displayName: 'fast',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
      globalSetup: '<rootDir>/test/support/global-setup.cjs',
    },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test/e2e'] },
  ],
};
