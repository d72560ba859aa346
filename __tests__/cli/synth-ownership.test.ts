/**
 * `trailwatch synth` overwrites or removes only the files it wrote (issue 18, section 1), and
 * `synth --check` / `--dry-run` tell what it would change without writing (section 3).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MINIMAL_YAML } from '../support/configs';
import { scratch, synthIn, tree } from '../support/synth-scratch';

const ROOT = path.join(__dirname, '..', '..');
const WITHOUT_DEV = MINIMAL_YAML.replace(/^ {2}- \{ id: "555555555555", name: dev-app.*\n/m, '');

/** A scratch project with `out/` synthesized from tw.yaml; returns the project and paths into it. */
async function synthesized() {
  const s = scratch();
  const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out']);
  expect(r.code).toBe(0);
  const out = path.join(s.project, 'out');
  const stack = (name: string) => path.join(out, 'stacks', name);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), text);
  };
  const synth = (...args: string[]) => synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out', ...args]);
  return { ...s, out, stack, write, synth };
}

/** terraform init / apply leftovers in a stack folder. */
function terraformWorkingFiles(dir: string) {
  fs.mkdirSync(path.join(dir, '.terraform', 'providers'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.terraform', 'providers', 'marker'), 'provider\n');
  fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), '# lock\n');
  fs.writeFileSync(path.join(dir, 'terraform.tfstate'), '{"version":4}\n');
}

const stacksIn = (manifestFile: string) => Object.keys((JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: object }).stacks).sort();

describe('a partial synth (--stacks) leaves every other stack as it was', () => {
  test('the other stack folders, with their state, .terraform/ and lock file, stay byte for byte, and in manifest.json', async () => {
    const p = await synthesized();
    for (const name of ['management', 'log-archive', 'dev-app']) terraformWorkingFiles(p.stack(name));
    const others = Object.fromEntries(['management', 'log-archive', 'dev-app'].map((n) => [n, tree(p.stack(n))]));
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), MINIMAL_YAML + 'tags: { team: sec }\n');

    const r = await p.synth('--stacks', 'prod-app');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(p.stack('prod-app'), 'cdk.tf.json'), 'utf8')).toContain('"team": "sec"');
    for (const [name, before] of Object.entries(others)) expect(tree(p.stack(name))).toEqual(before);
    expect(stacksIn(path.join(p.out, 'manifest.json'))).toEqual(['dev-app', 'log-archive', 'management', 'prod-app']);

    // They stay trailwatch's: a later full synth rewrites them (their state still kept).
    expect((await p.synth()).code).toBe(0);
    expect(fs.readFileSync(path.join(p.stack('dev-app'), 'cdk.tf.json'), 'utf8')).toContain('"team": "sec"');
    expect(fs.readFileSync(path.join(p.stack('dev-app'), 'terraform.tfstate'), 'utf8')).toBe('{"version":4}\n');
  });

  test('a stack folder deleted by hand is not named in manifest.json after a partial synth', async () => {
    const p = await synthesized();
    fs.rmSync(p.stack('dev-app'), { recursive: true });
    expect((await p.synth('--stacks', 'prod-app')).code).toBe(0);
    expect(stacksIn(path.join(p.out, 'manifest.json'))).toEqual(['log-archive', 'management', 'prod-app']);
    expect(JSON.parse(fs.readFileSync(path.join(p.out, '.trailwatch-output'), 'utf8')).files['stacks/dev-app/cdk.tf.json']).toBeUndefined();
  });
});

describe("the user's files in the output are kept, at every depth", () => {
  test('stacks/README.md, stacks/<stack>/assets/x.txt, stacks/shared-modules/main.tf, README.md, a stack override', async () => {
    const p = await synthesized();
    const mine = {
      'README.md': 'the output\n',
      'stacks/README.md': 'one folder per account\n',
      'stacks/management/assets/x.txt': 'x\n',
      'stacks/shared-modules/main.tf': 'variable "x" {}\n',
      'stacks/prod-app/override.tf.json': '{}\n',
    };
    for (const [rel, text] of Object.entries(mine)) p.write(rel, text);
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), MINIMAL_YAML + 'tags: { team: sec }\n');
    const r = await p.synth();
    expect(r.code).toBe(0);
    for (const [rel, text] of Object.entries(mine)) expect(fs.readFileSync(path.join(p.out, rel), 'utf8')).toBe(text);
    expect(fs.readFileSync(path.join(p.stack('management'), 'cdk.tf.json'), 'utf8')).toContain('"team": "sec"');
  });

  test('a file of the user where synth writes is refused and named; nothing changes', async () => {
    const p = await synthesized();
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
    expect((await p.synth()).code).toBe(0);
    p.write('stacks/dev-app/cdk.tf.json', '{"mine": true}\n'); // not trailwatch's
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), MINIMAL_YAML);
    const before = tree(p.base);
    const r = await p.synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to synthesize into .*out: .*Nothing was written:\n {2}- stacks\/dev-app\/cdk\.tf\.json was not written by trailwatch/);
    expect(tree(p.base)).toEqual(before);
  });

  test('a cdk.tf.json edited by hand is refused, not overwritten; removing it lets synth write it again', async () => {
    const p = await synthesized();
    const file = path.join(p.stack('prod-app'), 'cdk.tf.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"prod-app"', '"hand-edited"'));
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), MINIMAL_YAML + 'tags: { team: sec }\n');
    const before = tree(p.base);
    const r = await p.synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- stacks\/prod-app\/cdk\.tf\.json was changed since trailwatch wrote it/);
    expect(tree(p.base)).toEqual(before);
    fs.rmSync(file);
    expect((await p.synth()).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('"team": "sec"');
  });
});

describe('symbolic links are never followed', () => {
  test('a stack folder that is a link: refused and named; the target keeps its files', async () => {
    const p = await synthesized();
    const elsewhere = path.join(p.project, 'elsewhere');
    fs.renameSync(p.stack('prod-app'), elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'terraform.tfstate'), '{"version":4}\n');
    fs.symlinkSync(elsewhere, p.stack('prod-app'));
    const before = tree(p.base);
    const r = await p.synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- stacks\/prod-app is a symbolic link \(synth never follows one\)/);
    expect(tree(p.base)).toEqual(before);
  });

  test('stacks/ itself a link: refused', async () => {
    const p = await synthesized();
    const elsewhere = path.join(p.project, 'stacks-elsewhere');
    fs.renameSync(path.join(p.out, 'stacks'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(p.out, 'stacks'));
    const before = tree(p.base);
    const r = await p.synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- stacks is a symbolic link/);
    expect(tree(p.base)).toEqual(before);
  });
});

describe('a stack whose account left the config', () => {
  test('its folder goes when it holds only what trailwatch wrote', async () => {
    const p = await synthesized();
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
    const r = await p.synth();
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(p.out, 'stacks')).sort()).toEqual(['log-archive', 'management', 'prod-app']);
    expect(stacksIn(path.join(p.out, 'manifest.json'))).toEqual(['log-archive', 'management', 'prod-app']);
  });

  test('with state, .terraform/ or a file of the user in it: refused with the list and the fix; nothing deleted', async () => {
    const p = await synthesized();
    terraformWorkingFiles(p.stack('dev-app'));
    p.write('stacks/dev-app/notes.md', 'mine\n');
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
    const before = tree(p.base);
    const r = await p.synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '- stacks/dev-app: its account is no longer in the config, and the folder holds what trailwatch did not write (or was changed since): .terraform/providers/marker, .terraform.lock.hcl, notes.md, terraform.tfstate; state files are never deleted; if the stack',
    );
    expect(r.stderr).toMatch(/move or delete the folder yourself, or put the account back in the config/);
    expect(tree(p.base)).toEqual(before);
  });

  test('a partial synth also removes nothing of it that trailwatch did not write', async () => {
    const p = await synthesized();
    fs.writeFileSync(path.join(p.stack('dev-app'), 'terraform.tfstate'), '{"version":4}\n');
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
    const before = tree(p.base);
    expect((await p.synth('--stacks', 'prod-app')).code).toBe(1);
    expect(tree(p.base)).toEqual(before);
  });
});

describe('one synth at a time per output folder', () => {
  const lock = (project: string) => path.join(project, '.out.synth-lock');

  test('a lock held by a running process: refused naming it; nothing written', async () => {
    const p = await synthesized();
    const other = spawn('sleep', ['60']);
    try {
      fs.writeFileSync(lock(p.project), JSON.stringify({ pid: other.pid, host: os.hostname(), started: '2026-12-07T01:00:00.000Z' }));
      fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
      const before = tree(p.base);
      const r = await p.synth();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`another trailwatch synth is writing ${p.out} (pid ${other.pid} on ${os.hostname()}, started 2026-12-07T01:00:00.000Z)`);
      expect(tree(p.base)).toEqual(before);
    } finally {
      other.kill();
    }
  });

  test('a lock left by a process that is gone (same host) is taken over, and released after', async () => {
    const p = await synthesized();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(lock(p.project), JSON.stringify({ pid: Number(gone), host: os.hostname(), started: '2026-12-07T01:00:00.000Z' }));
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
    expect((await p.synth()).code).toBe(0);
    expect(fs.existsSync(p.stack('dev-app'))).toBe(false);
    expect(fs.existsSync(lock(p.project))).toBe(false);
  });
});

describe('the Terraform Cloud flow: commit the output, synthesize again in a fresh clone', () => {
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
    expect(r.stderr + (r.status === 0 ? '' : `exit ${r.status}`)).not.toMatch(/exit|fatal/);
    return r.stdout;
  };

  test('synth, commit, clone, synth again: exit 0 and no change; an account removed shows as its files deleted', async () => {
    const s = scratch();
    fs.copyFileSync(path.join(ROOT, '.gitignore'), path.join(s.project, '.gitignore')); // the project's own ignores
    fs.rmSync(path.join(s.project, 'link'));
    git(s.project, 'init', '-q');
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'synthesized'])).code).toBe(0);
    fs.writeFileSync(path.join(s.project, 'synthesized', 'stacks', 'prod-app', '.terraform.lock.hcl'), '# lock\n'); // committed, as Terraform advises
    git(s.project, 'add', '-A');
    git(s.project, 'commit', '-q', '-m', 'synthesized');
    expect(git(s.project, 'ls-files', 'synthesized')).toContain('synthesized/.trailwatch-output');

    const clone = path.join(s.base, 'clone');
    git(s.base, 'clone', '-q', s.project, clone);
    const again = await synthIn(clone, ['--config', 'tw.yaml', '--out', 'synthesized']);
    expect(again.stderr).toMatch(/synthesized 4 stacks/);
    expect(again.code).toBe(0);
    expect(git(clone, 'status', '--porcelain')).toBe('');
    expect((await synthIn(clone, ['--config', 'tw.yaml', '--out', 'synthesized', '--check'])).code).toBe(0);

    fs.writeFileSync(path.join(clone, 'tw.yaml'), WITHOUT_DEV);
    expect((await synthIn(clone, ['--config', 'tw.yaml', '--out', 'synthesized'])).code).toBe(0);
    const status = git(clone, 'status', '--porcelain').split('\n').filter(Boolean);
    expect(status).toEqual(expect.arrayContaining([' D synthesized/stacks/dev-app/cdk.tf.json', ' M synthesized/.trailwatch-output', ' M synthesized/manifest.json', ' M tw.yaml']));
    expect(status.filter((l) => !l.startsWith(' M ') && !l.startsWith(' D '))).toEqual([]); // nothing else appeared
    expect(fs.readFileSync(path.join(clone, 'synthesized', 'stacks', 'prod-app', '.terraform.lock.hcl'), 'utf8')).toBe('# lock\n');
  });

  test('only stacks/ committed (what the README said before): refused with the fix', async () => {
    const s = scratch();
    expect((await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'synthesized'])).code).toBe(0);
    fs.rmSync(path.join(s.project, 'synthesized', '.trailwatch-output'));
    fs.rmSync(path.join(s.project, 'synthesized', 'manifest.json'));
    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'synthesized']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/commit the whole output folder, \.trailwatch-output and manifest\.json included, not only stacks\//);
  });
});

describe('synth --check and --dry-run write nothing', () => {
  test('--check: exit 0 when the output is current; exit 1 listing each file that would change', async () => {
    const p = await synthesized();
    const current = await p.synth('--check');
    expect(current.code).toBe(0);
    expect(current.stderr).toMatch(/out is current; nothing would change/);

    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV.replace('accounts:\n', 'accounts:\n  - { id: "666666666666", name: staging-app }\n'));
    const before = tree(p.base);
    const r = await p.synth('--check');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^added {4}stacks\/staging-app\/cdk\.tf\.json$/m);
    expect(r.stdout).toMatch(/^changed {2}manifest\.json$/m);
    expect(r.stdout).toMatch(/^removed {2}stacks\/dev-app\/cdk\.tf\.json$/m);
    expect(r.stderr).toMatch(/out is not what synth would write: \d+ file\(s\) would change \(stacks: .*dev-app.*staging-app.*\); run synth and commit the result/);
    expect(tree(p.base)).toEqual(before);
  });

  test('--check on a folder not synthesized yet: every file is added', async () => {
    const s = scratch();
    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out', '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^added {2}stacks\/prod-app\/cdk\.tf\.json$/m);
    expect(fs.existsSync(path.join(s.project, 'out'))).toBe(false);
  });

  test('--dry-run: lists what would be written and removed, exit 0, nothing written', async () => {
    const p = await synthesized();
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV + 'tags: { team: sec }\n');
    const before = tree(p.base);
    const r = await p.synth('--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^changed {2}stacks\/prod-app\/cdk\.tf\.json$/m);
    expect(r.stdout).toMatch(/^removed {2}stacks\/dev-app\/cdk\.tf\.json$/m);
    expect(r.stderr).toMatch(/dry run: a synth into .*out would add 0, change \d+ and remove 1 file\(s\) .*; nothing was written/);
    expect(tree(p.base)).toEqual(before);
  });

  test('--dry-run of a synth that would be refused: exit 1 with the reason', async () => {
    const p = await synthesized();
    fs.writeFileSync(path.join(p.stack('dev-app'), 'terraform.tfstate'), '{}\n');
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), WITHOUT_DEV);
    const r = await p.synth('--dry-run');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dry run: refusing to synthesize .*\n {2}- stacks\/dev-app: its account is no longer in the config/);
  });

  test('--check with --dry-run is refused', async () => {
    const s = scratch();
    const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out', '--check', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--check and --dry-run cannot be used together/);
    expect(fs.existsSync(path.join(s.project, 'out'))).toBe(false);
  });

  test('--check or --dry-run with --summary (which reads the written output) is refused', async () => {
    const s = scratch();
    for (const flag of ['--check', '--dry-run']) {
      const r = await synthIn(s.project, ['--config', 'tw.yaml', '--out', 'out', flag, '--summary']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`--summary reads the written output and cannot be used with ${flag}`);
    }
    expect(fs.existsSync(path.join(s.project, 'out'))).toBe(false);
  });
});

describe('an output from an earlier trailwatch (marker without a record) is taken over', () => {
  test('its cdk.tf.json files are rewritten, its other files kept', async () => {
    const p = await synthesized();
    fs.writeFileSync(path.join(p.out, '.trailwatch-output'), JSON.stringify({ writtenBy: 'trailwatch', note: 'old' }));
    terraformWorkingFiles(p.stack('prod-app'));
    fs.writeFileSync(path.join(p.project, 'tw.yaml'), MINIMAL_YAML + 'tags: { team: sec }\n');
    expect((await p.synth()).code).toBe(0);
    expect(fs.readFileSync(path.join(p.stack('prod-app'), 'cdk.tf.json'), 'utf8')).toContain('"team": "sec"');
    expect(fs.readFileSync(path.join(p.stack('prod-app'), 'terraform.tfstate'), 'utf8')).toBe('{"version":4}\n');
    expect(JSON.parse(fs.readFileSync(path.join(p.out, '.trailwatch-output'), 'utf8')).files['stacks/prod-app/cdk.tf.json']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a record naming a path outside the output is refused', async () => {
    const p = await synthesized();
    const marker = JSON.parse(fs.readFileSync(path.join(p.out, '.trailwatch-output'), 'utf8'));
    marker.files['../tw.yaml'] = '0'.repeat(64);
    fs.writeFileSync(path.join(p.out, '.trailwatch-output'), JSON.stringify(marker));
    const before = tree(p.base);
    const r = await p.synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\.trailwatch-output: "files" names "\.\.\/tw\.yaml", which is not a path inside the output/);
    expect(tree(p.base)).toEqual(before);
  });
});
