/** A scratch project for synth tests: a home folder, a project with the config and files of the user's. */
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from './cli';
import { MINIMAL_YAML } from './configs';

/** Every path under `dir` (folders end in /) with each file's content: equal trees mean nothing changed. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) {
        out[rel + '/'] = '';
        walk(p);
      } else out[rel] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * A scratch layout: <scratch>/home (the home folder, with a dotfile) and <scratch>/home/project
 * (the current folder: config, a user file, a folder of user files, a plain file, a symbolic link).
 */
export function scratch() {
  const base = tempDir('tw-out-');
  const home = path.join(base, 'home');
  const project = path.join(home, 'project');
  fs.mkdirSync(path.join(project, 'mine'), { recursive: true });
  fs.writeFileSync(path.join(home, '.bashrc'), 'export PATH\n');
  fs.writeFileSync(path.join(project, 'tw.yaml'), MINIMAL_YAML);
  fs.writeFileSync(path.join(project, 'notes.txt'), 'my notes\n');
  fs.writeFileSync(path.join(project, 'mine', 'thesis.tex'), 'chapter 1\n');
  fs.writeFileSync(path.join(project, 'plain.txt'), 'a file\n');
  fs.mkdirSync(path.join(project, 'conf'));
  fs.writeFileSync(path.join(project, 'conf', 'tw.yaml'), MINIMAL_YAML);
  fs.symlinkSync(path.join(project, 'mine'), path.join(project, 'link'));
  return { base, home, project };
}

/** Runs the CLI in-process with `cwd` as the current folder and `env` over process.env. */
export async function synthIn(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  const saved = process.cwd();
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  // Set on process.env itself (not a copy): os.homedir() reads the real environment.
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  process.chdir(cwd);
  apply(env);
  try {
    return await runCli(['synth', ...args]);
  } finally {
    process.chdir(saved);
    apply(savedEnv);
  }
}

