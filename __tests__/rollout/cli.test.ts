/** `trailwatch rollout` and `trailwatch synth --stacks`, run as a pipeline would. */
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLE_CONFIG } from '../support/example';
import { MINIMAL_YAML } from '../support/configs';
import { readTree } from '../support/tree';
import { runCli, writeTemp } from '../support/cli';
import { configPrefix } from '../../lib/cli/rollout';

// MINIMAL_YAML: management, log-archive, prod-app, dev-app (no security account).
const withTail = (tail: string) => writeTemp('tw.yaml', MINIMAL_YAML + tail);
const WAVES = "rollout:\n  waves:\n    - [log-archive]\n    - [management]\n    - ['dev-*']\n    - ['*']\n";
const CLOUD = 'backend:\n  type: cloud\n  organization: acme\n  workspacePrefix: sec-\n';

/** The JSON without each wave's `command` and the `parallelism` (tested on their own below). */
const jsonOf = async (args: string[]) => {
  const r = await runCli(['rollout', '--json', ...args]);
  expect(r.code).toBe(0);
  const { parallelism: _, ...json } = JSON.parse(r.stdout);
  return { ...json, waves: json.waves.map(({ command: _c, ...w }: { command: string }) => w) };
};
/** The text without the TRAILWATCH_CONFIG=FILE in front of each command (tested on its own below). */
const plain = (stdout: string) => stdout.replace(/TRAILWATCH_CONFIG=\S+ /g, '');

const TRAIL_NEEDS_ARCHIVE = { stack: 'management', dependsOn: 'log-archive', reason: 'its trail writes into the log archive (bucket and KMS key) in log-archive' };

describe('rollout --json', () => {
  test('lists the configured waves in order, with their stacks, and the deploy-order dependencies', async () => {
    expect(await jsonOf(['-c', withTail(WAVES)])).toEqual({
      waves: [
        { index: 1, stacks: ['log-archive'] },
        { index: 2, stacks: ['management'] },
        { index: 3, stacks: ['dev-app'] },
        { index: 4, stacks: ['prod-app'] },
      ],
      dependencies: [TRAIL_NEEDS_ARCHIVE],
    });
  });

  test('without a rollout section: log archive, then management, then the members', async () => {
    expect((await jsonOf(['-c', withTail('')])).waves).toEqual([
      { index: 1, stacks: ['log-archive'] },
      { index: 2, stacks: ['management'] },
      { index: 3, stacks: ['prod-app', 'dev-app'] },
    ]);
  });

  test('with a security account (central EventBridge bus): security first, as every stack forwards to its bus', async () => {
    const file = withTail('');
    fs.writeFileSync(file, MINIMAL_YAML.replace('accounts:', '  securityAccount: { id: "333333333333", name: audit }\naccounts:'));
    const json = await jsonOf(['-c', file]);
    expect(json.waves).toEqual([
      { index: 1, stacks: ['audit'] },
      { index: 2, stacks: ['log-archive'] },
      { index: 3, stacks: ['management'] },
      { index: 4, stacks: ['prod-app', 'dev-app'] },
    ]);
    const bus = 'its EventBridge rules forward detections to the central bus trailwatch-detections in audit';
    expect(json.dependencies).toEqual([
      TRAIL_NEEDS_ARCHIVE,
      ...['management', 'log-archive', 'prod-app', 'dev-app'].map((stack) => ({ stack, dependsOn: 'audit', reason: bus })),
    ]);
  });

  test('a final * wave that catches nothing is left out', async () => {
    const json = await jsonOf(['-c', withTail("rollout:\n  waves:\n    - [log-archive, management]\n    - ['*-app']\n    - ['*']\n")]);
    expect(json.waves.map((w: { index: number }) => w.index)).toEqual([1, 2]);
  });

  test('with Terraform Cloud, each wave lists its workspace names (prefix + stack)', async () => {
    expect((await jsonOf(['-c', withTail(CLOUD + WAVES)])).waves).toEqual([
      { index: 1, stacks: ['log-archive'], workspaces: ['sec-log-archive'] },
      { index: 2, stacks: ['management'], workspaces: ['sec-management'] },
      { index: 3, stacks: ['dev-app'], workspaces: ['sec-dev-app'] },
      { index: 4, stacks: ['prod-app'], workspaces: ['sec-prod-app'] },
    ]);
  });

  test('the default workspace prefix is trailwatch-', async () => {
    const json = await jsonOf(['-c', withTail('backend: { type: cloud, organization: acme }\n')]);
    expect(json.waves[2].workspaces).toEqual(['trailwatch-prod-app', 'trailwatch-dev-app']);
  });

  test('the workspace names are the ones the stacks are synthesized with', async () => {
    const file = withTail(CLOUD + WAVES);
    const out = path.join(path.dirname(file), 'cdktf.out');
    expect((await runCli(['synth', '-c', file, '-o', out])).code).toBe(0);
    for (const wave of (await jsonOf(['-c', file])).waves) {
      wave.stacks.forEach((stack: string, i: number) => {
        const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
        expect(json.terraform.cloud.workspaces.name).toBe(wave.workspaces[i]);
      });
    }
  });

  test('local and S3 backends have no workspaces', async () => {
    const s3 = 'backend: { type: s3, bucket: acme-tf-state, region: us-east-1 }\n';
    expect((await jsonOf(['-c', withTail(s3)])).waves.every((w: object) => !('workspaces' in w))).toBe(true);
    expect((await jsonOf(['-c', withTail('')])).waves.every((w: object) => !('workspaces' in w))).toBe(true);
  });
});

describe('rollout --config FILE: the commands synthesize FILE, and --json keeps --parallelism (issue 12, item 14)', () => {
  test('each command sets TRAILWATCH_CONFIG to the file (cdktf runs cdktf.json\'s app, which reads it)', async () => {
    const file = withTail('');
    const r = await runCli(['rollout', '-c', file]);
    expect(r.stdout).toContain(`  wave 1 (1 stack): TRAILWATCH_CONFIG=${file} npx cdktf deploy log-archive --parallelism 10\n`);
    expect(r.stdout.match(/: TRAILWATCH_CONFIG=\S+ npx cdktf deploy /g)).toHaveLength(3);
  });

  test('--json gives each wave its exact command, with --parallelism and the config file', async () => {
    const file = withTail('');
    const r = await runCli(['rollout', '--json', '-c', file, '--parallelism', '3']);
    const json = JSON.parse(r.stdout);
    expect(json.parallelism).toBe(3);
    expect(json.waves.map((w: { command: string }) => w.command)).toEqual([
      `TRAILWATCH_CONFIG=${file} npx cdktf deploy log-archive --parallelism 3`,
      `TRAILWATCH_CONFIG=${file} npx cdktf deploy management --parallelism 3 --ignore-missing-stack-dependencies`,
      `TRAILWATCH_CONFIG=${file} npx cdktf deploy prod-app dev-app --parallelism 3`,
    ]);
  });

  test('./trailwatch.yaml (what cdktf synthesizes anyway) needs no prefix; a relative file is shown relative, quoted when needed', () => {
    const cwd = '/work/project';
    expect(configPrefix('/work/project/trailwatch.yaml', cwd)).toBe('');
    expect(configPrefix('/work/project/envs/prod.yaml', cwd)).toBe('TRAILWATCH_CONFIG=envs/prod.yaml ');
    expect(configPrefix("/work/project/my conf's.yaml", cwd)).toBe("TRAILWATCH_CONFIG='my conf'\\''s.yaml' ");
    expect(configPrefix('/etc/tw.yaml', cwd)).toBe('TRAILWATCH_CONFIG=/etc/tw.yaml ');
  });
});

describe('rollout (text)', () => {
  test('one numbered line per wave with the exact deploy command, then the deploy order', async () => {
    const r = await runCli(['rollout', '-c', withTail(WAVES)]);
    expect(r.code).toBe(0);
    expect(plain(r.stdout)).toBe(
      [
        '4 waves, 4 account stacks (rollout.waves in tw.yaml). Deploy the waves in order; stop at the first failure:',
        '  wave 1 (1 stack): npx cdktf deploy log-archive --parallelism 10',
        // management's manifest entry names log-archive: without the flag cdktf refuses to deploy it alone.
        '  wave 2 (1 stack): npx cdktf deploy management --parallelism 10 --ignore-missing-stack-dependencies',
        '  wave 3 (1 stack): npx cdktf deploy dev-app --parallelism 10',
        '  wave 4 (1 stack): npx cdktf deploy prod-app --parallelism 10',
        "Deploy order (also in cdktf.out/manifest.json, which `cdktf deploy '*'` follows):",
        '  management after log-archive: its trail writes into the log archive (bucket and KMS key) in log-archive',
        '',
      ].join('\n'),
    );
  });

  test('--parallelism sets K in every command; the default order says how to change it', async () => {
    const r = await runCli(['rollout', '-c', withTail(''), '--parallelism', '25']);
    expect(r.stdout.split('\n')[0]).toMatch(/^3 waves, 4 account stacks \(default order: .*; set rollout\.waves to change it\)/);
    expect(plain(r.stdout)).toContain('  wave 3 (2 stacks): npx cdktf deploy prod-app dev-app --parallelism 25\n');
    expect(r.stdout.match(/--parallelism 25/g)).toHaveLength(3);
  });

  test('with Terraform Cloud each line ends with its workspaces as a shell comment', async () => {
    const r = await runCli(['rollout', '-c', withTail(CLOUD + WAVES)]);
    expect(plain(r.stdout)).toContain('  wave 1 (1 stack): npx cdktf deploy log-archive --parallelism 10  # workspaces: sec-log-archive\n');
  });

  test('the bundled example rolls out every one of its stacks exactly once', async () => {
    const r = await runCli(['rollout', '--json', '-c', EXAMPLE_CONFIG]);
    const stacks = JSON.parse(r.stdout).waves.flatMap((w: { stacks: string[] }) => w.stacks);
    const validated = await runCli(['validate', '-c', EXAMPLE_CONFIG]);
    expect(stacks).toHaveLength(new Set(stacks).size);
    expect(validated.stdout).toContain(`(${stacks.length} account stacks,`);
  });

  test.each([['0'], ['-3'], ['ten'], ['2.5']])('--parallelism %s is refused', async (k) => {
    const r = await runCli(['rollout', '-c', withTail(''), '--parallelism', k]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--parallelism <k>' argument '.*' is invalid\. expected a whole number of stacks from 1 to 9999/);
    expect(r.stdout).toBe('');
  });

  test('waves that deploy a trail beside its archive print a warning on stderr; stdout stays JSON', async () => {
    const r = await runCli(['rollout', '--json', '-c', withTail("rollout:\n  waves:\n    - [management, log-archive]\n    - ['*']\n")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'trailwatch: warning: rollout.waves[0]: management deploys in the same wave 1 as log-archive (in parallel), but its trail writes into the log archive (bucket and KMS key) in log-archive: a first deploy fails until log-archive is deployed; move log-archive to an earlier wave (tw.yaml:12:7)\n',
    );
    expect(JSON.parse(r.stdout).waves[0].stacks).toEqual(['management', 'log-archive']);
  });

  test('waves that miss an account or list one twice: clear error, exit 1, nothing printed on stdout', async () => {
    const r = await runCli(['rollout', '-c', withTail("rollout:\n  waves:\n    - [log-archive, 'prod-*']\n    - [management, prod-app]\n")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('tw.yaml: 2 problems in the configuration:\n');
    expect(r.stderr).toContain('  - rollout.waves: account "dev-app" is in no wave; add it to a wave, or end with a wave [\'*\'] that takes every account no earlier wave lists (tw.yaml:12:5)');
    expect(r.stderr).toContain('  - rollout.waves[1][1]: account "prod-app" is in wave 1 (via "prod-*") and again in wave 2 (via "prod-app")');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('manifest.json declares the deploy order, the same one rollout reports', () => {
  const manifestDependencies = (out: string) =>
    Object.fromEntries(
      Object.entries(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).stacks as Record<string, { dependencies: string[] }>).map(([name, e]) => [name, e.dependencies]),
    );

  test('the example: every stack lists exactly the stacks rollout says it deploys after', async () => {
    const out = path.join(path.dirname(writeTemp('x', '')), 'cdktf.out');
    expect((await runCli(['synth', '-c', EXAMPLE_CONFIG, '-o', out])).code).toBe(0);
    const reported = (await jsonOf(['-c', EXAMPLE_CONFIG])).dependencies as { stack: string; dependsOn: string; reason: string }[];
    const fromRollout: Record<string, string[]> = {};
    // rollout names every reason (log-archive needs security twice: the central bus and the Athena query role); the manifest each stack once.
    for (const name of Object.keys(manifestDependencies(out))) fromRollout[name] = [...new Set(reported.filter((d) => d.stack === name).map((d) => d.dependsOn))];
    expect(manifestDependencies(out)).toEqual(fromRollout);
    // cdktf deploy '*' deploys the organization trail only after its archive and the central bus exist.
    expect(manifestDependencies(out).management).toEqual(['log-archive', 'security']);
    // The archive's bucket and key policies name the query role of security (trail.archive.query).
    expect(reported.filter((d) => d.stack === 'log-archive').map((d) => d.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining('name the Athena query role trailwatch-athena-query of security')]),
    );
    expect(manifestDependencies(out).security).toEqual([]);
  });

  test('the example rolls out in an order that breaks no dependency: no warning', async () => {
    const r = await runCli(['rollout', '--json', '-c', EXAMPLE_CONFIG]);
    expect(r.stderr).not.toContain('warning: rollout');
  });

  test('synth --stacks: a stack names only the selected stacks it needs (cdktf refuses a dependency it cannot see)', async () => {
    const file = withTail('');
    const dir = path.dirname(file);
    expect((await runCli(['synth', '-c', file, '-o', path.join(dir, 'one'), '--stacks', 'management'])).code).toBe(0);
    expect(manifestDependencies(path.join(dir, 'one'))).toEqual({ management: [] });
    expect((await runCli(['synth', '-c', file, '-o', path.join(dir, 'two'), '--stacks', 'management,log-archive'])).code).toBe(0);
    expect(manifestDependencies(path.join(dir, 'two'))).toEqual({ management: ['log-archive'], 'log-archive': [] });
  });
});

describe('synth --stacks', () => {
  const manifestStacks = (out: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).stacks).sort();
  const stackDirs = (out: string) => fs.readdirSync(path.join(out, 'stacks')).sort();

  test('a glob synthesizes only the matching stacks, in cdktf.out/stacks and in manifest.json', async () => {
    const file = withTail('');
    const out = path.join(path.dirname(file), 'cdktf.out');
    const r = await runCli(['synth', '-c', file, '-o', out, '--stacks', '*-app']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`synthesized 2 of 4 stacks into ${out}: prod-app, dev-app`);
    expect(stackDirs(out)).toEqual(['dev-app', 'prod-app']);
    expect(manifestStacks(out)).toEqual(['dev-app', 'prod-app']);
  });

  test('repeated and comma-separated --stacks select the union', async () => {
    const file = withTail('');
    const out = path.join(path.dirname(file), 'cdktf.out');
    expect((await runCli(['synth', '-c', file, '-o', out, '--stacks', 'management,dev-*', '-s', 'log-archive'])).code).toBe(0);
    expect(stackDirs(out)).toEqual(['dev-app', 'log-archive', 'management']);
    expect(manifestStacks(out)).toEqual(['dev-app', 'log-archive', 'management']);
  });

  test('a selected stack is byte-identical to the same stack of a full synth', async () => {
    const file = withTail('');
    const dir = path.dirname(file);
    expect((await runCli(['synth', '-c', file, '-o', path.join(dir, 'all')])).code).toBe(0);
    expect((await runCli(['synth', '-c', file, '-o', path.join(dir, 'one'), '--stacks', 'prod-app'])).code).toBe(0);
    expect(readTree(path.join(dir, 'one/stacks/prod-app'))).toEqual(readTree(path.join(dir, 'all/stacks/prod-app')));
  });

  test('a glob that matches no stack: clear error listing the stacks, existing output untouched', async () => {
    const file = withTail('');
    const out = path.join(path.dirname(file), 'cdktf.out');
    expect((await runCli(['synth', '-c', file, '-o', out])).code).toBe(0);
    const before = readTree(out);

    const r = await runCli(['synth', '-c', file, '-o', out, '--stacks', 'prd-*']);
    expect(r.code).toBe(1);
    expect(r.stderr.replace(/^trailwatch: warning: .*\n/gm, '')).toBe('trailwatch: --stacks "prd-*" matches no account stack; the accounts are: management, log-archive, prod-app, dev-app\nnothing was written\n');
    expect(readTree(out)).toEqual(before);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['cdktf.out', 'tw.yaml']);
  });

  test('one bad pattern among good ones writes nothing at all', async () => {
    const file = withTail('');
    const out = path.join(path.dirname(file), 'cdktf.out');
    const r = await runCli(['synth', '-c', file, '-o', out, '--stacks', 'prod-app,dev-ap']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--stacks "dev-ap" is not an account stack; did you mean "dev-app"\?/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
