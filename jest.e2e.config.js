/**
 * `npm run test:e2e`: the end-to-end tests against a local AWS emulator (moto), kept out of the
 * main suite (jest.config.js ignores __tests__/e2e). Run in band: one emulator, stacks in order.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Each test sets its own limit; this one covers hooks (starting and stopping moto).
  testTimeout: 15 * 60 * 1000,
};
