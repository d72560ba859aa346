/**
 * The output folder of a synth, and how it is replaced safely. A synth writes into a fresh staging
 * folder beside the output and swaps it in (replaceDirectory), so a failure at any point leaves the
 * previous output as it was: never a partial cdktf.out.
 *
 * The swap replaces the output folder as a whole, so it is guarded (checkOutputTarget): trailwatch
 * replaces only a folder that does not exist yet, an empty one, or one it wrote itself (it holds
 * the OUTPUT_MARKER file, and nothing at its top level but what a synth writes). It never replaces
 * the file system root, the current folder, the home folder, a folder above them, a folder holding
 * the config file, a file or a symbolic link.
 *
 * Inside each stack folder a synth owns only what it writes (SYNTH_OUTPUTS: cdk.tf.json, assets/).
 * Everything else there, Terraform's working files above all (`.terraform/`, `.terraform.lock.hcl`,
 * local `terraform.tfstate*`), moves from the old stack folder into the new one before the swap
 * (and back if the swap fails), so a re-synth does not undo `terraform init`. The folder of a stack
 * no longer in the output goes, as `cdktf synth` removes it too.
 *
 * Nothing here loads cdktf.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../errors';

/** The file that marks a folder as trailwatch's output (a folder trailwatch may replace). */
export const OUTPUT_MARKER = '.trailwatch-output';
const MARKER_TEXT =
  JSON.stringify(
    {
      writtenBy: 'trailwatch',
      note: 'trailwatch synth replaces this folder as a whole. In stacks/<stack>/ it rewrites cdk.tf.json and assets/ and keeps everything else (.terraform/, .terraform.lock.hcl, terraform.tfstate, ...); it refuses to replace the folder while anything else is at this level.',
    },
    null,
    2,
  ) + '\n';

/** What a synth writes at the top of the output folder. */
const TOP_LEVEL = new Set([OUTPUT_MARKER, 'manifest.json', 'stacks']);
/** What a synth writes in a stack folder (cdk.tf / metadata.json: cdktf's HCL output). Everything else there is kept. */
export const SYNTH_OUTPUTS = new Set(['cdk.tf.json', 'assets', 'cdk.tf', 'metadata.json']);

/** Staging folders of `target` are `.<name>.staging-XXXXXX` beside it (git-ignored as `.*.staging-*`). */
export function stagingPrefix(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.staging-`);
}

/** Where the output goes: the --out value, else $CDKTF_OUTDIR, else ./cdktf.out. Empty values are errors. */
export function outputFolder(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) {
    if (flag.trim() === '') throw new UserError('--out: expected a folder, got an empty string (an unset variable?); nothing was written');
    return flag;
  }
  const fromEnv = env.CDKTF_OUTDIR;
  if (fromEnv !== undefined) {
    if (fromEnv.trim() === '') throw new UserError('CDKTF_OUTDIR is set but empty; set it to the output folder, or unset it to use ./cdktf.out; nothing was written');
    return fromEnv;
  }
  return 'cdktf.out';
}

export interface OutputTargetContext {
  /** @default process.cwd() */
  readonly cwd?: string;
  /** The home folder; '' checks none. @default $HOME, else os.homedir() */
  readonly home?: string;
  /** Files the output must not hold (the config file). @default none */
  readonly keep?: readonly string[];
}

/**
 * Checks that a synth may replace `outdir` and returns it as an absolute path; throws a UserError
 * naming the folder and the fix otherwise. Reads only: nothing is written.
 */
export function checkOutputTarget(outdir: string, context: OutputTargetContext = {}): string {
  if (outdir.trim() === '') throw new UserError('the output folder is an empty string; nothing was written');
  const target = path.resolve(outdir);
  const refuse = (why: string, fix = 'choose a new or empty folder for --out (or CDKTF_OUTDIR), e.g. ./cdktf.out') =>
    new UserError(`refusing to write the output into ${target}: ${why}; ${fix}. Nothing was written`);
  const within = (inner: string) => inner === target || inner.startsWith(target.endsWith(path.sep) ? target : target + path.sep);

  if (path.parse(target).root === target) throw refuse('it is the root of the file system');
  const cwd = path.resolve(context.cwd ?? process.cwd());
  if (within(cwd)) throw refuse(cwd === target ? 'it is the current folder, which synth would replace' : `it holds the current folder ${cwd}, which synth would replace`);
  const home = context.home ?? (process.env.HOME || os.homedir()); // $HOME first, as os.homedir() does on POSIX
  if (home && within(path.resolve(home))) throw refuse(path.resolve(home) === target ? 'it is your home folder' : `it holds your home folder ${home}`);

  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return target; // a new folder
    if (code === 'ENOTDIR') throw refuse('a part of its path is a file');
    throw refuse(`it cannot be read (${(e as Error).message})`);
  }
  if (stat.isSymbolicLink()) throw refuse('it is a symbolic link', 'point --out at a folder itself, or choose another folder');
  if (!stat.isDirectory()) throw refuse('it is a file, and --out takes a folder', 'choose a folder for --out; the file was left alone');
  for (const file of context.keep ?? []) if (within(path.resolve(file))) throw refuse(`it holds ${path.resolve(file)}, which synth would delete`);

  const entries = fs.readdirSync(target);
  if (entries.length === 0 || isLegacyOutput(target, entries)) return target;
  if (!entries.includes(OUTPUT_MARKER)) {
    throw refuse(
      `it is not empty and trailwatch did not write it (there is no ${OUTPUT_MARKER} file in it), and synth replaces its output folder as a whole`,
      'choose a new or empty folder for --out, or move the files away first',
    );
  }
  const foreign = entries.filter((e) => !TOP_LEVEL.has(e)).sort();
  if (foreign.length > 0) {
    const names = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw refuse(`trailwatch wrote it, but it now also holds ${names}, which synth would delete`, 'move those out of it first');
  }
  return target;
}

/** The output of a synth from before the marker: exactly manifest.json and stacks/, the manifest naming stacks. */
function isLegacyOutput(dir: string, entries: readonly string[]): boolean {
  if (entries.length !== 2 || !entries.includes('manifest.json') || !entries.includes('stacks')) return false;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { stacks?: unknown; version?: unknown };
    return typeof manifest.version === 'string' && typeof manifest.stacks === 'object' && manifest.stacks !== null;
  } catch {
    return false;
  }
}

/**
 * Swap the finished staging folder `from` into `to` with renames only (same parent folder, so same
 * file system). `to` must be replaceable (checkOutputTarget; its content is checked again here).
 * What each stack folder holds besides the synth's own files moves into the new stack folder
 * first, and back if the swap fails.
 */
export function replaceDirectory(from: string, to: string): void {
  const hadOld = fs.existsSync(to);
  if (hadOld) checkOutputTarget(to, { cwd: path.parse(to).root, home: '' }); // the location was checked before the synth; its content may have changed since
  fs.writeFileSync(path.join(from, OUTPUT_MARKER), MARKER_TEXT);
  fs.chmodSync(from, 0o777 & ~process.umask()); // mkdtemp made it 0700; an output folder gets the usual mode
  const moved: { from: string; to: string }[] = [];
  const undo = () => {
    for (const m of moved.reverse()) fs.renameSync(m.to, m.from);
  };
  const retired = `${from}.retired`;
  try {
    if (hadOld) {
      const oldStacks = path.join(to, 'stacks');
      const newStacks = path.join(from, 'stacks');
      for (const stack of listDir(oldStacks)) {
        const newStack = path.join(newStacks, stack);
        if (!fs.existsSync(newStack)) continue; // a stack no longer in the output goes, as with cdktf synth
        for (const name of listDir(path.join(oldStacks, stack))) {
          const dest = path.join(newStack, name);
          if (SYNTH_OUTPUTS.has(name) || fs.existsSync(dest)) continue;
          fs.renameSync(path.join(oldStacks, stack, name), dest);
          moved.push({ from: path.join(oldStacks, stack, name), to: dest });
        }
      }
      fs.renameSync(to, retired);
    }
  } catch (e) {
    undo();
    throw e;
  }
  try {
    fs.renameSync(from, to);
  } catch (e) {
    if (hadOld) {
      fs.renameSync(retired, to);
      undo();
    }
    throw e;
  }
  if (hadOld) fs.rmSync(retired, { recursive: true, force: true });
}

function listDir(dir: string): string[] {
  try {
    return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : [];
  } catch {
    return [];
  }
}

/**
 * Runs `work` (a synth into `target`) and, on SIGINT or SIGTERM meanwhile, removes the staging
 * folders it created beside `target` and exits 130 / 143: the previous output stays as it was and
 * no `.<name>.staging-*` folder is left behind.
 */
export async function cleanUpStagingOnSignal<T>(target: string, work: () => Promise<T>): Promise<T> {
  const prefix = stagingPrefix(target);
  const parent = path.dirname(prefix);
  const list = () => listDir(parent).filter((n) => path.join(parent, n).startsWith(prefix));
  const before = new Set(list());
  const cleanUp = () => {
    for (const n of list()) if (!before.has(n)) fs.rmSync(path.join(parent, n), { recursive: true, force: true, maxRetries: 3 });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.stderr.write(`trailwatch: interrupted (${signal}); ${target} was left as it was\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', cleanUp); // again as the process ends: a worker thread may have written after the first pass
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', cleanUp);
  }
}

/** A file-system error (EACCES, ENOSPC, ...) as a user error naming the output folder; anything else as it is. */
export function outputError(e: unknown, target: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof UserError || typeof err?.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return e;
  return new UserError(`cannot write the output into ${target}: ${err.message}; nothing was changed there`);
}
