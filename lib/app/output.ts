/**
 * The output folder of a synth, and the one boundary through which a synth changes it.
 *
 * Where: checkOutputTarget refuses a location a synth must never write (the file system root, the
 * current folder, the home folder or above, a folder holding the config file, a file, a symbolic
 * link, a non-empty folder trailwatch did not write).
 *
 * What: trailwatch owns only the files it wrote. The marker file OUTPUT_MARKER at the top of the
 * output records each of them (path and sha256); it is committed with the stacks, so the record
 * survives git (which keeps neither empty folders nor mtimes). A synth writes into a staging folder
 * beside the output, then planOutput compares the staging folder with the output and the record,
 * and applyOutputPlan moves each new file in by rename (atomic: a stack's assets first, its
 * cdk.tf.json last, so a stack folder never holds a mix it cannot deploy) and removes only what it
 * recorded. Every overwrite and every removal goes through ownershipProblem: the path is inside the
 * output, no folder on the way is a symbolic link (lstat; links are never followed), and the file
 * is one trailwatch recorded with a matching hash (a different hash: someone edited it; refused).
 *
 * - Files trailwatch did not write are kept, at every depth (Terraform's `.terraform/`,
 *   `.terraform.lock.hcl`, `terraform.tfstate*`, your own files); one in a place synth writes is
 *   refused and listed.
 * - A partial synth (`--stacks`) leaves every other stack folder as it was, and in the record.
 * - The folder of a stack whose account left the config is removed only when it holds nothing but
 *   files trailwatch recorded; otherwise the synth is refused with the list (state is never deleted).
 * - lockOutput: one synth at a time per output folder.
 *
 * Nothing here loads cdktf.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../core/errors';

/** The file that marks a folder as trailwatch's output and records what trailwatch wrote in it. */
export const OUTPUT_MARKER = '.trailwatch-output';
const MARKER_NOTE =
  'Written by trailwatch synth, which records here every file it wrote in this folder (path: sha256). Commit this file with the stacks. A synth overwrites or removes only files recorded here whose content is unchanged; everything else (.terraform/, .terraform.lock.hcl, terraform.tfstate, your files) is kept.';

/** What cdktf writes in a stack folder; an output from before the record adopts these once. */
const LEGACY_STACK_FILES = new Set(['cdk.tf.json', 'cdk.tf', 'metadata.json']);

/** Staging folders of `target` are `.<name>.staging-XXXXXX` beside it (git-ignored as `.*.staging-*`). */
export function stagingPrefix(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.staging-`);
}

/** The lock file of `target`: `.<name>.synth-lock` beside it (git-ignored as `.*.synth-lock`). */
export function lockPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.synth-lock`);
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
 * Checks that a synth may write into `outdir` and returns it as an absolute path; throws a
 * UserError naming the folder and the fix otherwise. Reads only: nothing is written.
 */
export function checkOutputTarget(outdir: string, context: OutputTargetContext = {}): string {
  if (outdir.trim() === '') throw new UserError('the output folder is an empty string; nothing was written');
  const target = path.resolve(outdir);
  const refuse = (why: string, fix = 'choose a new or empty folder for --out (or CDKTF_OUTDIR), e.g. ./cdktf.out') =>
    new UserError(`refusing to write the output into ${target}: ${why}; ${fix}. Nothing was written`);
  const within = (inner: string) => inner === target || inner.startsWith(target.endsWith(path.sep) ? target : target + path.sep);

  if (path.parse(target).root === target) throw refuse('it is the root of the file system');
  const cwd = path.resolve(context.cwd ?? process.cwd());
  if (within(cwd)) throw refuse(cwd === target ? 'it is the current folder' : `it holds the current folder ${cwd}`);
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
  for (const file of context.keep ?? []) {
    if (within(path.resolve(file))) throw refuse(`it holds the config file ${path.resolve(file)}`, 'keep the config outside the output folder');
  }

  const entries = fs.readdirSync(target);
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER) || isLegacyOutput(target, entries)) return target;
  const onlyStacks = entries.length === 1 && entries[0] === 'stacks';
  throw refuse(
    `it is not empty and trailwatch did not write it (there is no ${OUTPUT_MARKER} file in it)`,
    onlyStacks
      ? `commit the whole output folder, ${OUTPUT_MARKER} and manifest.json included, not only stacks/ (remove this copy, synthesize, and commit the folder)`
      : 'choose a new or empty folder for --out, or move the files away first',
  );
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

/** What trailwatch wrote in an output folder: path (relative, `/`-separated) -> sha256. */
export interface OutputRecord {
  readonly files: ReadonlyMap<string, string>;
  /** Hashes of an apply that was cut off (power loss): those files are trailwatch's too. */
  readonly pending: ReadonlyMap<string, readonly string[]>;
}

const EMPTY_RECORD: OutputRecord = { files: new Map(), pending: new Map() };

function owns(record: OutputRecord, rel: string, hash: string): boolean {
  return record.files.get(rel) === hash || (record.pending.get(rel)?.includes(hash) ?? false);
}

/** A path from the record that stays inside the output: relative, normalized, no `..`. */
function isInside(rel: string): boolean {
  return rel !== '' && !path.posix.isAbsolute(rel) && !rel.includes('\\') && path.posix.normalize(rel) === rel && !rel.split('/').includes('..') && rel !== '.';
}

/** The stack a recorded path belongs to (`stacks/<name>/...`), if any. */
export function stackOf(rel: string): string | undefined {
  const parts = rel.split('/');
  return parts[0] === 'stacks' && parts.length >= 3 ? parts[1] : undefined;
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Reads the record of `target` (none for a new or empty folder; adopted once from an output written before the record). */
export function readRecord(target: string): OutputRecord {
  const st = lstat(target);
  if (!st?.isDirectory()) return EMPTY_RECORD;
  const markerFile = path.join(target, OUTPUT_MARKER);
  const markerStat = lstat(markerFile);
  if (!markerStat) return isLegacyOutput(target, fs.readdirSync(target)) ? adoptLegacy(target) : EMPTY_RECORD;
  const broken = (why: string) =>
    new UserError(`${markerFile}: ${why}; restore it (git checkout), or move the output folder away and synthesize again. Nothing was written`);
  if (!markerStat.isFile()) throw broken('not a file');
  let marker: { files?: unknown; pending?: unknown };
  try {
    marker = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as typeof marker;
  } catch {
    throw broken('not valid JSON');
  }
  if (marker.files === undefined) return adoptLegacy(target); // written by a trailwatch from before the record
  const read = (value: unknown, key: string): Map<string, string[]> => {
    if (value === undefined) return new Map();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw broken(`"${key}" is not an object`);
    const out = new Map<string, string[]>();
    for (const [rel, hashes] of Object.entries(value)) {
      if (!isInside(rel) || rel === OUTPUT_MARKER) throw broken(`"${key}" names ${JSON.stringify(rel)}, which is not a path inside the output`);
      const list: unknown[] = Array.isArray(hashes) ? hashes : [hashes];
      if (!list.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) throw broken(`the hash of ${rel} is not a sha256`);
      out.set(rel, list as string[]);
    }
    return out;
  };
  const files = new Map([...read(marker.files, 'files')].map(([rel, [hash]]) => [rel, hash]));
  return { files, pending: read(marker.pending, 'pending') };
}

/**
 * An output written before trailwatch recorded its files: what it wrote then (manifest.json, and
 * cdk.tf.json, assets/ in each stack folder) is taken as trailwatch's, as that version did.
 */
function adoptLegacy(target: string): OutputRecord {
  const files = new Map<string, string>();
  const add = (rel: string) => {
    const st = lstat(path.join(target, rel));
    if (st?.isFile()) files.set(rel, sha256(path.join(target, rel)));
  };
  add('manifest.json');
  const stacks = path.join(target, 'stacks');
  if (lstat(stacks)?.isDirectory()) {
    for (const stack of fs.readdirSync(stacks)) {
      if (!lstat(path.join(stacks, stack))?.isDirectory()) continue;
      for (const name of LEGACY_STACK_FILES) add(`stacks/${stack}/${name}`);
      for (const entry of walk(target, `stacks/${stack}/assets`)) if (entry.kind === 'file') files.set(entry.rel, sha256(path.join(target, entry.rel)));
    }
  }
  return { files, pending: new Map() };
}

interface WalkEntry {
  readonly rel: string;
  readonly kind: 'file' | 'dir' | 'link' | 'other';
}

/** Everything under `rel` in `root` (folders after their contents), never following a symbolic link. */
function walk(root: string, rel: string): WalkEntry[] {
  const st = lstat(path.join(root, rel));
  if (!st) return [];
  if (st.isSymbolicLink()) return [{ rel, kind: 'link' }];
  if (st.isFile()) return [{ rel, kind: 'file' }];
  if (!st.isDirectory()) return [{ rel, kind: 'other' }];
  const out: WalkEntry[] = [];
  for (const name of fs.readdirSync(path.join(root, rel)).sort()) out.push(...walk(root, rel === '' ? name : `${rel}/${name}`));
  if (rel !== '') out.push({ rel, kind: 'dir' });
  return out;
}

/** Why a folder on the way to `rel` cannot be used: it is a symbolic link or a file. */
function folderProblem(target: string, rel: string): string | undefined {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const shown = parts.slice(0, i).join('/');
    const st = lstat(path.join(target, shown));
    if (!st) return undefined;
    if (st.isSymbolicLink()) return `${shown} is a symbolic link (synth never follows one)`;
    if (!st.isDirectory()) return `${shown} is a file where synth writes a folder`;
  }
  return undefined;
}

/**
 * The one check before trailwatch overwrites or removes `rel` in `target`: undefined when the path
 * is absent or holds a file trailwatch recorded, unchanged since; otherwise why it must not.
 */
export function ownershipProblem(target: string, rel: string, record: OutputRecord): string | undefined {
  if (!isInside(rel)) return `${rel}: not a path inside the output`;
  const via = folderProblem(target, rel);
  if (via) return via;
  const st = lstat(path.join(target, rel));
  if (!st) return undefined;
  if (st.isSymbolicLink()) return `${rel} is a symbolic link (synth never follows one)`;
  if (!st.isFile()) return `${rel} is a folder trailwatch did not write`;
  if (owns(record, rel, sha256(path.join(target, rel)))) return undefined;
  return record.files.has(rel) ? `${rel} was changed since trailwatch wrote it` : `${rel} was not written by trailwatch`;
}

/** Removes the file `rel` of `target` if trailwatch wrote it (ownershipProblem); throws otherwise. */
function removeOwned(target: string, rel: string, record: OutputRecord): void {
  const problem = ownershipProblem(target, rel, record);
  if (problem) throw new UserError(`refusing to remove ${path.join(target, rel)}: ${problem}`);
  fs.rmSync(path.join(target, rel), { force: true });
}

/** Removes the folder `rel` if it is a real folder (not a link) and empty; returns whether it did. */
function removeEmptyFolder(target: string, rel: string): boolean {
  const full = path.join(target, rel);
  if (folderProblem(target, rel) || !lstat(full)?.isDirectory() || fs.readdirSync(full).length > 0) return false;
  fs.rmdirSync(full);
  return true;
}

export interface OutputChange {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'removed';
}

/** What committing a staging folder into the output would do (planOutput), and what applyOutputPlan does. */
export interface OutputPlan {
  readonly target: string;
  readonly staging: string;
  /** Every file that would change, by path (the marker included). */
  readonly changes: readonly OutputChange[];
  /** Why the synth would be refused (nothing is written then). */
  readonly problems: readonly string[];
  readonly before: OutputRecord;
  readonly after: ReadonlyMap<string, string>;
  readonly writes: readonly string[];
  readonly removes: readonly string[];
  readonly removeFolders: readonly string[];
}

export interface PlanOutputOptions {
  /** The stacks synthesized into the staging folder. */
  readonly stacks: readonly string[];
  /** Every stack of the config: a stack folder of another name is one whose account left the config. */
  readonly configStacks: readonly string[];
}

/** Stack names with files in the record of `target`. */
export function recordedStacks(target: string): Set<string> {
  const record = readRecord(target);
  return new Set([...record.files.keys()].map(stackOf).filter((s): s is string => s !== undefined));
}

/**
 * Compares the finished staging folder with the output: what a commit would write, remove and keep,
 * and why it would be refused. Reads only.
 */
export function planOutput(staging: string, target: string, options: PlanOutputOptions): OutputPlan {
  if (lstat(target)) checkOutputTarget(target, { cwd: path.parse(target).root, home: '' }); // checked before the synth; its content may have changed since
  const before = readRecord(target);
  const selected = new Set(options.stacks);
  const inConfig = new Set(options.configStacks);
  const changes: OutputChange[] = [];
  const problems: string[] = [];
  const after = new Map<string, string>();
  const writes: string[] = [];
  const removes: string[] = [];
  const removeFolders: string[] = [];

  const fresh = new Map<string, string>();
  for (const e of walk(staging, '')) if (e.kind === 'file' && e.rel !== OUTPUT_MARKER) fresh.set(e.rel, sha256(path.join(staging, e.rel)));

  for (const [rel, hash] of fresh) {
    after.set(rel, hash);
    const problem = folderProblem(target, rel);
    const st = problem ? undefined : lstat(path.join(target, rel));
    if (!problem && !st) {
      writes.push(rel);
      changes.push({ path: rel, change: 'added' });
      continue;
    }
    if (st?.isFile() && sha256(path.join(target, rel)) === hash) continue; // already as it would be written
    const notOurs = problem ?? ownershipProblem(target, rel, before);
    if (notOurs) problems.push(notOurs);
    writes.push(rel);
    changes.push({ path: rel, change: 'changed' });
  }

  const departed = new Set<string>();
  for (const [rel, hash] of before.files) {
    if (fresh.has(rel)) continue;
    const stack = stackOf(rel);
    if (stack !== undefined && !inConfig.has(stack)) {
      departed.add(stack);
      continue;
    }
    const st = folderProblem(target, rel) ? undefined : lstat(path.join(target, rel));
    if (stack !== undefined && !selected.has(stack)) {
      if (st?.isFile()) after.set(rel, hash); // another stack's file: kept as it is, and in the record
      continue;
    }
    const problem = ownershipProblem(target, rel, before);
    if (problem) problems.push(problem);
    else if (st) {
      removes.push(rel);
      changes.push({ path: rel, change: 'removed' });
    }
  }

  for (const stack of [...departed].sort()) {
    const folder = `stacks/${stack}`;
    const via = folderProblem(target, `${folder}/x`);
    if (via) {
      problems.push(via);
      continue;
    }
    const entries = walk(target, folder);
    const foreign = entries.filter((e) => e.kind !== 'dir' && !(e.kind === 'file' && before.files.has(e.rel) && !ownershipProblem(target, e.rel, before)));
    if (foreign.length > 0) {
      const state = foreign.filter((e) => /(^|\/)terraform\.tfstate/.test(e.rel) || e.rel.endsWith('.tfstate'));
      const names = foreign.map((e) => e.rel.slice(folder.length + 1) + (e.kind === 'link' ? ' (a symbolic link)' : ''));
      problems.push(
        `${folder}: its account is no longer in the config, and the folder holds what trailwatch did not write (or was changed since): ${names.join(', ')}` +
          (state.length > 0 ? '; state files are never deleted' : '') +
          `; if the stack's resources are destroyed (terraform destroy in that folder), move or delete the folder yourself, or put the account back in the config`,
      );
      continue;
    }
    for (const e of entries) {
      if (e.kind === 'file') {
        removes.push(e.rel);
        changes.push({ path: e.rel, change: 'removed' });
      } else removeFolders.push(e.rel);
    }
  }

  const markerText = renderMarker(after);
  const markerFile = path.join(target, OUTPUT_MARKER);
  const oldMarker = lstat(markerFile)?.isFile() ? fs.readFileSync(markerFile, 'utf8') : undefined;
  if (oldMarker !== markerText) changes.push({ path: OUTPUT_MARKER, change: oldMarker === undefined ? 'added' : 'changed' });
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target, staging, changes, problems: [...new Set(problems)], before, after, writes, removes, removeFolders };
}

function renderMarker(files: ReadonlyMap<string, string>, pending?: ReadonlyMap<string, readonly string[]>): string {
  const sorted = <T>(m: ReadonlyMap<string, T>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ writtenBy: 'trailwatch', note: MARKER_NOTE, files: sorted(files), ...(pending ? { pending: sorted(pending) } : {}) }, null, 2) + '\n';
}

/** The refusal of a plan with problems: every path and the fix, nothing written. */
export function planRefusal(plan: OutputPlan): UserError {
  const shown = plan.problems.slice(0, 20).map((p) => `  - ${p}`);
  if (plan.problems.length > 20) shown.push(`  - and ${plan.problems.length - 20} more`);
  return new UserError(
    `refusing to synthesize into ${plan.target}: it holds what trailwatch did not write (or was changed since) where synth would write or remove; move those away (or restore them) and synth again. Nothing was written:\n${shown.join('\n')}`,
  );
}

/**
 * Commits a planned synth: moves each new or changed file in by rename, removes what trailwatch
 * wrote and no longer writes, and writes the record. Refused (nothing written) if the plan has
 * problems. The record names the new files as pending before the first change, so an apply cut off
 * by a power loss leaves files the next synth still knows as trailwatch's.
 */
export function applyOutputPlan(plan: OutputPlan): void {
  if (plan.problems.length > 0) throw planRefusal(plan);
  const { target, staging, before } = plan;
  if (plan.changes.length === 0) return;
  fs.mkdirSync(target, { recursive: true });
  const writeMarker = (text: string) => {
    const tmp = path.join(staging, OUTPUT_MARKER);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(target, OUTPUT_MARKER));
  };
  // While it runs, a file is trailwatch's in its old content (before) or its new one (after).
  const pending = new Map<string, string[]>([...before.pending].map(([rel, hashes]) => [rel, [...hashes]]));
  for (const [rel, hash] of plan.after) pending.set(rel, [...new Set([...(pending.get(rel) ?? []), hash])]);
  const guard: OutputRecord = { files: before.files, pending };
  writeMarker(renderMarker(before.files, pending));
  // Within a stack folder its assets go first and cdk.tf.json last, the manifest after every stack.
  const rank = (rel: string) => (rel === 'manifest.json' ? 2 : /^stacks\/[^/]+\/cdk\.tf(\.json)?$/.test(rel) ? 1 : 0);
  for (const rel of [...plan.writes].sort((a, b) => rank(a) - rank(b))) {
    const problem = ownershipProblem(target, rel, guard);
    if (problem) throw new UserError(`refusing to overwrite ${path.join(target, rel)}: ${problem}`);
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = path.join(target, ...parts.slice(0, i));
      if (!lstat(folder)) fs.mkdirSync(folder);
    }
    fs.renameSync(path.join(staging, rel), path.join(target, rel));
  }
  for (const rel of plan.removes) {
    removeOwned(target, rel, guard);
    // Folders the removal emptied go too, up to the stack folder (a departed stack's folder: below).
    const parts = rel.split('/');
    for (let i = parts.length - 1; i >= 3 && removeEmptyFolder(target, parts.slice(0, i).join('/')); i--);
  }
  for (const rel of plan.removeFolders) removeEmptyFolder(target, rel);
  writeMarker(renderMarker(plan.after));
}

/**
 * Takes the lock of the output folder `target` (lockPath: created exclusively, holding pid, host and
 * start time) and returns its release, also run when the process exits. A lock whose process is gone
 * (same host, pid not running) is taken over; a live one is a UserError naming that process.
 */
export function lockOutput(target: string): () => void {
  const file = lockPath(target);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() }) + '\n';
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let held: { pid?: unknown; host?: unknown; started?: unknown } = {};
    try {
      held = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof held;
    } catch {
      // being written by the other process, or damaged: held
    }
    if (attempt === 0 && typeof held.pid === 'number' && held.host === os.hostname() && !processAlive(held.pid)) {
      fs.rmSync(file, { force: true }); // its process is gone
      continue;
    }
    const who = typeof held.pid === 'number' ? `pid ${held.pid} on ${String(held.host)}, started ${String(held.started)}` : 'a process that holds the lock';
    throw new UserError(`another trailwatch synth is writing ${target} (${who}); wait for it to finish, or if that process is gone, delete ${file}. Nothing was written`);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (fs.readFileSync(file, 'utf8') === mine) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
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
