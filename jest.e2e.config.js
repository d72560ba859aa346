/**
 * `npm run test:e2e`: the end-to-end tests against a local AWS emulator (moto), kept out of the
 * main suite (jest.config.js ignores __tests__/e2e). Run in band: one test file, whose passes run side by
 * side and need the cores to themselves.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Signal handlers live in jest's own process: they stop the emulators and commands on Ctrl-C.
  globalSetup: '<rootDir>/__tests__/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/e2e/support/global-teardown.ts',
  // Each test sets its own limit; this one covers hooks (starting and stopping moto).
  testTimeout: 15 * 60 * 1000,
};
