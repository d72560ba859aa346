import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MINIMAL_YAML } from './support/configs';
import { runCli, tempDir } from './support/cli';

const ROOT = path.join(__dirname, '..');

/** A scratch folder, removed after this file's tests. */
const tmp = () => tempDir('tw-cli-');


/** Every file under a folder with its content, to prove a failed run changed nothing. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('synth', () => {
  test('writes one stack folder per account and a manifest', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML);
    const r = await runCli(['synth', '--config', path.join(dir, 'tw.yaml'), '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/synthesized 4 stacks/);
    expect(fs.readdirSync(path.join(dir, 'out/stacks')).sort()).toEqual(['dev-app', 'log-archive', 'management', 'prod-app']);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'out/manifest.json'), 'utf8')).stacks).sort()).toEqual([
      'dev-app',
      'log-archive',
      'management',
      'prod-app',
    ]);
    // no staging folders are left behind
    expect(fs.readdirSync(dir).sort()).toEqual(['out', 'tw.yaml']);
  });

  test('TRAILWATCH_CONFIG selects the config file', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'other.yaml'), MINIMAL_YAML);
    process.env.TRAILWATCH_CONFIG = path.join(dir, 'other.yaml');
    try {
      const r = await runCli(['validate']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${path.join(dir, 'other.yaml')}: valid (4 account stacks, 2 governed regions)`);
    } finally {
      delete process.env.TRAILWATCH_CONFIG;
    }
  });

  test.each([
    ['malformed YAML', 'organization: [\n', /malformed YAML/],
    ['an unknown key', MINIMAL_YAML + 'acounts: []\n', /acounts: unknown key "acounts": did you mean "accounts"\? \(tw\.yaml:10:1\)/],
    ['a bad account id', MINIMAL_YAML.replace('"444444444444"', '"4444"'), /accounts\[0\]\.id: expected 12 digits, got "4444" \(tw\.yaml:8:11\)/],
    ['a duplicate name', MINIMAL_YAML + '  - { id: "777777777777", name: dev-app }\n', /accounts\[2\]\.name: account name "dev-app" is already used/],
    ['an unknown region', MINIMAL_YAML.replace('[us-east-1, eu-west-1]', '[us-east-1, mars-north-1]'), /organization\.regions\[1\]: unknown region "mars-north-1"/],
    ['the management account as a member', MINIMAL_YAML + '  - { id: "111111111111", name: again }\n', /is the management account/],
  ])('%s: clear error, exit 1, existing output untouched', async (_name, yaml, expected) => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'good.yaml'), MINIMAL_YAML);
    const out = path.join(dir, 'cdktf.out');
    expect((await runCli(['synth', '-c', path.join(dir, 'good.yaml'), '-o', out])).code).toBe(0);
    const before = snapshotTree(out);

    fs.writeFileSync(path.join(dir, 'tw.yaml'), yaml);
    const r = await runCli(['synth', '-c', path.join(dir, 'tw.yaml'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trailwatch: .*tw\.yaml: \d+ problems? in the configuration; nothing was written:\n/);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    expect(snapshotTree(out)).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out', 'good.yaml', 'tw.yaml']);
  });

  test('a missing config file is a clear error and writes nothing', async () => {
    const dir = tmp();
    const r = await runCli(['synth', '-c', path.join(dir, 'nope.yaml'), '-o', path.join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`config file not found: ${path.join(dir, 'nope.yaml')}`);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('warnings (allowed but probably unintended settings) are printed with their location, and do not fail', async () => {
    const dir = tmp();
    // Without us-east-1 among the sign-in regions, dev-app (eu-west-1 only) has no rule for IAM and Organizations events.
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML + 'eventbridge: { signInRegions: [] }\n');
    const r = await runCli(['validate', '-c', path.join(dir, 'tw.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^trailwatch: warning: accounts\[1\]\.regions: dev-app does not govern us-east-1, .* \(tw\.yaml:9:\d+\)$/m);
  });

  test('validate reports problems without touching cdktf.out', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML.replace('"444444444444"', '"4"'));
    const r = await runCli(['validate', '-c', path.join(dir, 'tw.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('accounts[0].id: expected 12 digits, got "4"');
    expect(fs.readdirSync(dir)).toEqual(['tw.yaml']);
  });
});

describe('the trailwatch binary', () => {
  test('`trailwatch validate` runs from bin/ and exits 0 on the example', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/trailwatch.js'), 'validate', '--config', path.join(ROOT, 'trailwatch.yaml')], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/trailwatch\.yaml: valid \(6 account stacks, 3 governed regions\)/);
    expect(r.status).toBe(0);
  });

  test('an unknown command exits non-zero with help, not a stack trace', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/trailwatch.js'), 'synthesise'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'synthesise'/);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
