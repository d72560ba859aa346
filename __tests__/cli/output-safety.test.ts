/**
 * `trailwatch synth` never deletes what it did not write (issue 12, items 1-5). Every case runs in
 * a scratch project that holds files of the user's; the refused ones must exit non-zero, say why
 * and change nothing at all in it.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { generateOrganizationYaml } from '../../bench/org-config';
import { tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';
import { scratch, synthIn, tree } from '../support/synth-scratch';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'trailwatch.js');

describe('synth refuses an output folder it would destroy, and writes nothing', () => {
  test.each<[string, (s: ReturnType<typeof scratch>) => { args: string[]; env?: Record<string, string> }, RegExp]>([
    ['--out "" (an unset variable)', () => ({ args: ['--out', ''] }), /--out.*expected a folder, got an empty string/],
    ['CDKTF_OUTDIR set but empty', () => ({ args: [], env: { CDKTF_OUTDIR: '' } }), /CDKTF_OUTDIR is set but empty/],
    ['--out . (the current folder)', () => ({ args: ['--out', '.'] }), /into .*project: it is the current folder/],
    ['--out .. (holds the current folder)', () => ({ args: ['--out', '..'] }), /into .*home: it holds the current folder/],
    ['--out the home folder', (s) => ({ args: ['--out', s.home], env: { HOME: s.home } }), /it holds the current folder|it is your home folder/],
    ['--out a folder above the home folder', (s) => ({ args: ['--out', s.base], env: { HOME: s.home } }), /it holds the current folder/],
    ['--out /', () => ({ args: ['--out', '/'] }), /into \/: it is the root of the file system/],
    ['--out a file', () => ({ args: ['--out', 'plain.txt'] }), /plain\.txt: it is a file, and --out takes a folder/],
    ['--out below a file', () => ({ args: ['--out', 'plain.txt/out'] }), /a part of its path is a file/],
    ['--out a folder of the user', () => ({ args: ['--out', 'mine'] }), /mine: it is not empty and trailwatch did not write it .*\.trailwatch-output.*move the files away/],
    ['--out the folder holding the config', () => ({ args: ['--out', 'conf', '--config', 'conf/tw.yaml'] }), /conf: it holds the config file .*conf\/tw\.yaml; keep the config outside the output folder/],
    ['--out a symbolic link', () => ({ args: ['--out', 'link'] }), /link: it is a symbolic link/],
  ])('%s', async (_name, make, expected) => {
    const s = scratch();
    const { args, env } = make(s);
    const before = tree(s.base);
    const r = await synthIn(s.project, [...(args.includes('--config') ? [] : ['--config', 'tw.yaml']), ...args], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
    expect(tree(s.base)).toEqual(before); // the user's files, and no staging folder
  });

  test('the home folder itself, from elsewhere', async () => {
    const s = scratch();
    const elsewhere = tempDir('tw-out-cwd-');
    const before = tree(s.base);
    const r = await synthIn(elsewhere, ['--config', path.join(s.project, 'tw.yaml'), '--out', s.home], { HOME: s.home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/into .*home: it is your home folder/);
    expect(tree(s.base)).toEqual(before);
  });

  test('a file-system error is a user error, not a stack trace', async () => {
    const s = scratch();
    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', '/proc/trailwatch-nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trailwatch: cannot write the output into \/proc\/trailwatch-nope: E[A-Z]+: /m);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});

describe('synth replaces only its own output', () => {
  test('a re-synth keeps .terraform/, the lock file and local state in each stack folder', async () => {
    const s = scratch();
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out'])).code).toBe(0);
    const stack = path.join(s.project, 'out', 'stacks', 'prod-app');
    fs.mkdirSync(path.join(stack, '.terraform', 'providers'), { recursive: true });
    fs.writeFileSync(path.join(stack, '.terraform', 'providers', 'marker'), 'provider\n');
    fs.writeFileSync(path.join(stack, '.terraform.lock.hcl'), '# lock\n');
    fs.writeFileSync(path.join(stack, 'terraform.tfstate'), '{"version":4}\n');
    fs.writeFileSync(path.join(stack, 'terraform.tfvars'), 'x = 1\n');
    fs.writeFileSync(path.join(s.project, 'tw.yaml'), MINIMAL_YAML + 'tags: { team: sec }\n'); // cdk.tf.json changes

    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(stack, '.terraform', 'providers', 'marker'), 'utf8')).toBe('provider\n');
    expect(fs.readFileSync(path.join(stack, '.terraform.lock.hcl'), 'utf8')).toBe('# lock\n');
    expect(fs.readFileSync(path.join(stack, 'terraform.tfstate'), 'utf8')).toBe('{"version":4}\n');
    expect(fs.readFileSync(path.join(stack, 'terraform.tfvars'), 'utf8')).toBe('x = 1\n');
    expect(fs.readFileSync(path.join(stack, 'cdk.tf.json'), 'utf8')).toContain('"team": "sec"'); // rewritten
    expect(fs.readdirSync(s.project).filter((n) => n.includes('staging'))).toEqual([]);
  });

  test('the output has the usual permissions, not 0700', async () => {
    const s = scratch();
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out'])).code).toBe(0);
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    const usual = 0o777 & ~process.umask();
    expect(mode(path.join(s.project, 'out'))).toBe(usual);
    expect(mode(path.join(s.project, 'out', 'stacks', 'prod-app'))).toBe(usual);
  });

  test('an output written before the marker existed (manifest.json and stacks/ only) is replaced', async () => {
    const s = scratch();
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out'])).code).toBe(0);
    fs.rmSync(path.join(s.project, 'out', '.trailwatch-output'));
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out'])).code).toBe(0);
    expect(fs.existsSync(path.join(s.project, 'out', '.trailwatch-output'))).toBe(true);
  });

  test('an empty folder is used; the files beside it stay', async () => {
    const s = scratch();
    fs.mkdirSync(path.join(s.project, 'empty'));
    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'empty']);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(s.project, 'empty')).sort()).toEqual(['.trailwatch-output', 'manifest.json', 'stacks']);
    expect(fs.readFileSync(path.join(s.project, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(fs.readFileSync(path.join(s.project, 'mine', 'thesis.tex'), 'utf8')).toBe('chapter 1\n');
  });
});

describe('local state stays at the project root whatever --out is', () => {
  const statePath = (out: string, stack: string) => {
    const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    return path.resolve(out, 'stacks', stack, json.terraform.backend.local.path);
  };

  test.each([
    ['./cdktf.out', (s: ReturnType<typeof scratch>) => path.join(s.project, 'cdktf.out')],
    ['a folder outside the project', () => path.join(tempDir('tw-out-else-'), 'x', 'out')],
    ['a nested folder', (s: ReturnType<typeof scratch>) => path.join(s.project, 'build', 'deep', 'out')],
  ])('%s', async (_name, outOf) => {
    const s = scratch();
    const out = outOf(s);
    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', out]);
    expect(r.code).toBe(0);
    expect(statePath(out, 'prod-app')).toBe(path.join(s.project, 'terraform-state', 'prod-app.tfstate'));
    expect(r.stderr).toContain('; local state in terraform-state/');
  });

  test('the default layout keeps the path it always had', async () => {
    const s = scratch();
    expect((await synthIn(s.project, ['--config', 'tw.yaml'])).code).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(s.project, 'cdktf.out', 'stacks', 'prod-app', 'cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform-state/prod-app.tfstate' } });
  });

  test('backend.directory is relative to the project root, or absolute', async () => {
    const s = scratch();
    const abs = path.join(tempDir('tw-out-state-'), 'states');
    fs.writeFileSync(path.join(s.project, 'rel.yaml'), MINIMAL_YAML + 'backend: { type: local, directory: state/tf }\n');
    fs.writeFileSync(path.join(s.project, 'abs.yaml'), MINIMAL_YAML + `backend: { type: local, directory: ${JSON.stringify(abs)} }\n`);
    const out = path.join(tempDir('tw-out-else-'), 'out');
    expect((await synthIn(s.project, ['--config', 'rel.yaml', '--out', out])).code).toBe(0);
    expect(statePath(out, 'dev-app')).toBe(path.join(s.project, 'state', 'tf', 'dev-app.tfstate'));
    expect((await synthIn(s.project, ['--config', 'abs.yaml', '--out', out])).code).toBe(0);
    expect(statePath(out, 'dev-app')).toBe(path.join(abs, 'dev-app.tfstate'));
  });
});

describe('interrupted synth', () => {
  test('SIGTERM mid-synth removes the staging folder and leaves the previous output as it was', async () => {
    const s = scratch();
    // Large enough to still be synthesizing when the signal comes (worker threads: the main thread answers signals).
    fs.writeFileSync(path.join(s.project, 'big.yaml'), generateOrganizationYaml(60, 3));
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out'])).code).toBe(0);
    const before = tree(path.join(s.project, 'out'));
    const child = spawn(process.execPath, [BIN, 'synth', '--config', 'big.yaml', '--out', 'out', '--workers', '2', '--no-templates'], { cwd: s.project, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const staging = () => fs.readdirSync(s.project).filter((n) => n.startsWith('.out.staging-'));
    const deadline = Date.now() + 60_000;
    while (staging().length === 0 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(staging().length).toBe(1);
    // A second synth into the same folder meanwhile fails fast, naming the first (issue 18).
    const second = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`another trailwatch synth is writing .*out \\(pid ${child.pid} on .*, started .*\\); wait for it to finish, or if that process is gone, delete .*\\.out\\.synth-lock`));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toMatch(/interrupted \(SIGTERM\); .*out was left as it was/);
    expect(staging()).toEqual([]);
    expect(fs.existsSync(path.join(s.project, '.out.synth-lock'))).toBe(false); // released on SIGTERM
    expect(tree(path.join(s.project, 'out'))).toEqual(before);
  }, 120_000);

  test('git ignores the staging folders, the synth lock (and the compiled dist/), not the marker', () => {
    const r = spawnSync('git', ['check-ignore', '.cdktf.out.staging-Ab12Cd', 'lib/.out.staging-x', '.synthesized.synth-lock', 'dist/main.js'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toEqual(['.cdktf.out.staging-Ab12Cd', 'lib/.out.staging-x', '.synthesized.synth-lock', 'dist/main.js']);
    const marker = spawnSync('git', ['check-ignore', 'synthesized/.trailwatch-output', 'synthesized/manifest.json', 'synthesized/stacks/a/cdk.tf.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(marker.stdout).toBe(''); // committed with the stacks (the Terraform Cloud flow)
  });
});
