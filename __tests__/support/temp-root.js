/**
 * Jest globalSetup / globalTeardown of the unit suite: every temp folder the tests make (cdktf's
 * Testing helpers make one per synth under os.tmpdir(), and never remove it) goes into one folder
 * of this run, removed when the run ends. TMPDIR is set before jest starts its workers, which
 * inherit it; os.tmpdir() reads it on every call.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const KEY = 'TRAILWATCH_TEST_TMP_ROOT';

module.exports.setup = function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trailwatch-jest-'));
  process.env[KEY] = root;
  process.env.TMPDIR = root;
};

module.exports.teardown = function teardown() {
  const root = process.env[KEY];
  if (root && path.basename(root).startsWith('trailwatch-jest-')) fs.rmSync(root, { recursive: true, force: true });
};
