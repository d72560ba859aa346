/** `trailwatch verify` flags: mistakes are refused in one line before any AWS call. */
import * as path from 'path';
import { runCli, tempDir } from '../support/cli';
import { EXAMPLE_CONFIG } from '../support/example';

test('--json with --markdown is refused', async () => {
  const r = await runCli(['verify', '-c', EXAMPLE_CONFIG, '--json', '--markdown']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('trailwatch: --json and --markdown each choose the output format; give one of them\n');
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
