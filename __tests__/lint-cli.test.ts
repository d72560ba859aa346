import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MINIMAL_YAML } from './support/configs';
import { runCli } from './support/cli';


const CIS_DEFECT = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }';

describe('trailwatch lint', () => {
  test('the example config lints clean', async () => {
    const r = await runCli(['lint', '--config', path.join(__dirname, '../trailwatch.yaml')]);
    expect(r.stdout).toMatch(/^\d+ patterns: 0 errors, \d+ warnings?\n$/m);
    expect(r.code).toBe(0);
  });

  test('the widely copied CIS pattern fails with both negations named by column', async () => {
    const r = await runCli(['lint', '--pattern', CIS_DEFECT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/--pattern: error negation-in-or: \$\.sourceIPAddress != .* column 83/);
    expect(r.stdout).toMatch(/--pattern: error negation-in-or: \$\.eventName != HeadBucket .*column 137/);
    expect(r.stdout).toContain('1 pattern: 2 errors, 0 warnings');
  });

  test('an unknown CloudTrail field is an error: the alarm could never fire', async () => {
    const r = await runCli(['lint', '--pattern', '{ $.eventname = "ConsoleLogin" }']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error unknown-cloudtrail-field: .*eventName/);
  });

  test('a config with a broken custom pattern is refused with its location', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-lint-'));
    const file = path.join(dir, 'tw.yaml');
    fs.writeFileSync(file, MINIMAL_YAML + `monitoring:\n  custom:\n    - id: noisy\n      title: Noisy\n      pattern: '${CIS_DEFECT}'\n`);
    const r = await runCli(['lint', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/monitoring\.custom\[0\]\.pattern: .*negation-in-or.*\(tw\.yaml:14:\d+\)/);
  });
});
