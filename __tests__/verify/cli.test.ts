/** `trailwatch verify` flags: mistakes are refused in one line before any AWS call. */
import * as path from 'path';
import { runCli, tempDir } from '../support/cli';
import { EXAMPLE_CONFIG } from '../support/example';

test('--json with --markdown is refused', async () => {
  const r = await runCli(['verify', '-c', EXAMPLE_CONFIG, '--json', '--markdown']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error: --json cannot be used with --markdown: each chooses the output format/);
});

test('--print-policy with flags of a verify run is refused, each named', async () => {
  const r = await runCli(['verify', '-c', EXAMPLE_CONFIG, '--print-policy', '--json', '--concurrency', '4']);
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error: --print-policy cannot be used with --json and --concurrency: it prints the policy and checks nothing/);
});

test('a report file in a folder that does not exist, or a folder, is refused before anything runs', async () => {
  const dir = tempDir('tw-verify-cli-');
  const missing = await runCli(['verify', '-c', EXAMPLE_CONFIG, '--html', path.join(dir, 'nope', 'r.html')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^trailwatch: --html .*r\.html: the folder .*nope does not exist; create it or give another file\n$/);
  const folder = await runCli(['verify', '-c', EXAMPLE_CONFIG, '--junit', dir]);
  expect(folder.stderr).toBe(`trailwatch: --junit ${dir}: is a folder; give a file name\n`);
});

test('--concurrency takes a whole number from 1 to 256', async () => {
  const r = await runCli(['verify', '-c', EXAMPLE_CONFIG, '--concurrency', '0']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("option '--concurrency <n>' argument '0' is invalid");
});
