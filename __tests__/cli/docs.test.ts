/** Issue 12, item 18: what README, help and the config reference tell a user matches what happens. */
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../support/cli';
import { EXAMPLE_CONFIG } from '../support/example';

const root = path.join(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

test('no doc passes flags to npm run synth without -- (npm would take them)', () => {
  for (const f of ['README.md', 'help', 'docs/config-reference.md', 'lib/cli/README.md']) {
    expect(read(f)).not.toMatch(/npm run synth --(?!\s)/);
  }
  expect(read('README.md')).toContain('npm run synth -- --config FILE');
});

test('README says how a VCS-driven workspace gets the synthesized stacks (cdktf.out/ is git-ignored)', () => {
  expect(read('.gitignore')).toMatch(/^\/?cdktf\.out\/?$/m);
  const readme = read('README.md');
  expect(readme).not.toMatch(/point a VCS-driven workspace at\s+`cdktf\.out\/stacks/);
  expect(readme).toMatch(/VCS-driven workspace reads committed\s+files, and `cdktf\.out\/` is git-ignored/);
});

test('custom detections are not said to be synthesized like the catalog controls: they get no EventBridge rule', () => {
  const reference = read('docs/config-reference.md');
  expect(reference).not.toContain('synthesized like the catalog controls');
  expect(reference).toMatch(/\| `custom` \|.*no EventBridge rule/);
});

test('trail.name is not said to name the log group or the archive KMS alias', () => {
  const line = read('docs/config-reference.md').split('\n').find((l) => l.startsWith('| `name` |') && l.includes('Trail name'))!;
  expect(line).not.toMatch(/names the IAM role, the KMS alias/);
  expect(line).toContain('do not change with it');
});

test('the backtest --json shape in README lists every key backtest prints', async () => {
  const dir = tempDir('tw-docs-');
  const record = { eventVersion: '1.08', eventTime: '2026-10-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111111111111:root' } };
  fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: [record] }));
  const r = await runCli(['backtest', '--json', '-c', EXAMPLE_CONFIG, dir]);
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout);
  const readme = read('README.md');
  const shape = readme.slice(readme.indexOf('backtest ./AWSLogs --json'), readme.indexOf('--max-skipped 3'));
  for (const key of [...Object.keys(json), ...Object.keys(json.filters[0])]) expect(shape).toContain(`"${key}"`);
});
