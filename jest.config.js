/** Jest runs TypeScript through SWC (no type-check; `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // End-to-end tests against an AWS emulator run with `npm run test:e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/e2e/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testTimeout: 120000,
  // One temp folder per run, removed at the end (cdktf's Testing helpers leave one per synth).
  globalSetup: '<rootDir>/__tests__/support/temp-root-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/temp-root-teardown.js',
};
