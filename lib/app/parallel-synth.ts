/**
 * Synthesis for large organizations. Account stacks share nothing (no cross-stack references), so
 * they can be synthesized in independent cdktf Apps: in batches (bounded memory: an App holds every
 * construct of its stacks until it synthesizes) and in worker threads (both cores). The batches'
 * stack folders are moved into one staging folder and their manifest entries merged into one
 * manifest.json written by cdktf's own Manifest class, so the result is byte-identical to
 * `synthToDirectory` (one App) and `cdktf deploy` reads it as usual.
 */
import { Manifest } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ParsedConfig } from '../config/schema';
import type { AccountPlan } from '../core/organization';
import { planAll, type Plan } from '../plan/plan';
import { buildApp } from './build-app';
import { lockOutput, stagingPrefix } from './output';
import { chooseSentinel, instantiate, memberShapes, prototypeConfig, readTemplate, type ShapeGroup, type Sentinel } from './stack-templates';
import { commitStaging, keptManifestEntries, writeManifest, type SynthResult } from './synth';

export interface ParallelSynthOptions {
  /** Only these stacks. @default every account */
  readonly selectStack?: (plan: AccountPlan) => boolean;
  /** Worker threads. 0 or 1: synthesize in this thread. @default min(available cores, 4) */
  readonly workers?: number;
  /** Stacks per cdktf App. Smaller bounds memory; larger amortizes App overhead. @default 50 */
  readonly batchSize?: number;
  /** Called after each batch with (stacks done, stacks total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Write members of one shape from a checked template (see stack-templates.ts). @default true */
  readonly templates?: boolean;
  /** Plan only: synthesize and compare, but do not touch the output (synth --check / --dry-run). @default false */
  readonly dryRun?: boolean;
}

export interface ParallelSynthResult extends SynthResult {
  /** Stacks written from a template instead of their own synth. */
  readonly templated: number;
}

/** What a batch hands back: its manifest entries, keyed by stack name. */
type ManifestEntries = Record<string, unknown>;

export const DEFAULT_BATCH_SIZE = 50;

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4));
}

/**
 * Synthesize the stacks named in `stackNames` into `outdir/stacks/`, one App per batch.
 * Runs in a worker thread or in the caller's thread.
 */
export function synthBatches(planned: Plan<ParsedConfig>, stackNames: readonly string[], outdir: string, batchSize: number, onBatch?: (n: number) => void): ManifestEntries {
  const entries: ManifestEntries = {};
  fs.mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
  for (let i = 0; i < stackNames.length; i += batchSize) {
    const names = new Set(stackNames.slice(i, i + batchSize));
    const batchDir = fs.mkdtempSync(path.join(outdir, '.batch-'));
    const { app } = buildApp(planned, { outdir: batchDir, selectStack: (p) => names.has(p.stackName) });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(batchDir, Manifest.fileName), 'utf8')) as { stacks: ManifestEntries };
    for (const name of names) {
      fs.renameSync(path.join(batchDir, Manifest.stacksFolder, name), path.join(outdir, Manifest.stacksFolder, name));
      entries[name] = manifest.stacks[name];
    }
    fs.rmSync(batchDir, { recursive: true, force: true });
    onBatch?.(names.size);
  }
  return entries;
}

export async function synthParallel(planned: Plan<ParsedConfig>, outdir: string, options: ParallelSynthOptions = {}): Promise<ParallelSynthResult> {
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const release = options.dryRun ? () => undefined : lockOutput(target);
  const staging = fs.mkdtempSync(stagingPrefix(target));
  try {
    const config = planned.config;
    const plans = planned.organization.accounts.filter((p) => options.selectStack?.(p) ?? true);
    const stackNames = plans.map((p) => p.stackName);
    const shapes = options.templates === false ? [] : memberShapes(config, plans);
    const fromTemplate = new Set(shapes.flatMap((g) => g.members.slice(1).map((m) => m.stackName)));
    const realNames = stackNames.filter((n) => !fromTemplate.has(n));
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    const workers = Math.min(options.workers ?? defaultWorkerCount(), Math.ceil(realNames.length / batchSize));
    let done = 0;
    const progress = (n: number) => {
      done += n;
      options.onProgress?.(done, stackNames.length);
    };

    let entries: ManifestEntries;
    if (workers <= 1) {
      entries = synthBatches(planned, realNames, staging, batchSize, progress);
    } else {
      // Round-robin so every worker gets a similar mix of core and member accounts.
      const shares = Array.from({ length: workers }, (_, w) => realNames.filter((_, i) => Math.floor(i / batchSize) % workers === w));
      const running: Worker[] = [];
      try {
        const results = await Promise.all(shares.map((names) => runWorker(planned, names, staging, batchSize, progress, running)));
        entries = Object.assign({}, ...results);
      } catch (e) {
        // One failed: stop the others before the staging folder is removed under them.
        await Promise.all(running.map((w) => w.terminate()));
        throw e;
      }
    }

    let templated = 0;
    if (shapes.length > 0) {
      const sentinel = chooseSentinel(config);
      for (const group of shapes) {
        const rest = group.members.slice(1);
        if (writeFromTemplate(planned, group, sentinel, staging, entries)) {
          templated += rest.length;
          progress(rest.length);
        } else {
          Object.assign(entries, synthBatches(planned, rest.map((m) => m.stackName), staging, batchSize, progress));
        }
      }
    }

    // A batch knows only the dependencies inside it: every entry gets the full list buildApp gives
    // one App. The stacks a partial synth keeps in the output keep their entries.
    writeManifest(planned, staging, { ...keptManifestEntries(planned, target, stackNames), ...entries });
    const plan = commitStaging(planned, staging, target, stackNames, options.dryRun);
    return { outdir: target, stacks: stackNames, templated, plan };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    release();
  }
}

/**
 * Synthesizes the shape's prototype, checks that instantiating it for the shape's first member
 * (already synthesized for real) reproduces that member byte for byte, and if so writes the other
 * members from it. Returns false, having written nothing, when the check fails.
 */
function writeFromTemplate(planned: Plan<ParsedConfig>, group: ShapeGroup, sentinel: Sentinel, staging: string, entries: ManifestEntries): boolean {
  const protoDir = fs.mkdtempSync(path.join(staging, '.prototype-'));
  try {
    // The prototype is another organization (the sentinel in place of the first member): it is planned
    // on its own, with the detections of the command's Plan (the monitoring section is the same).
    const prototype = { ...planAll(prototypeConfig(planned.config, group, sentinel), { detections: planned.detections }), backend: planned.backend };
    const protoEntries = synthBatches(prototype, [sentinel.name], protoDir, 1);
    const template = readTemplate(path.join(protoDir, Manifest.stacksFolder), sentinel, protoEntries[sentinel.name]);
    if (!template) return false;
    const [first, ...rest] = group.members;
    const real = fs.readFileSync(path.join(staging, Manifest.stacksFolder, first.stackName, 'cdk.tf.json'), 'utf8');
    if (instantiate(template.stackJson, sentinel, first) !== real) return false;
    // Dependencies depend on which batch a stack was in; they are set for every stack at the end.
    const withoutDependencies = (entry: unknown) => JSON.stringify({ ...(entry as object), dependencies: [] });
    if (withoutDependencies(JSON.parse(instantiate(template.manifestEntry, sentinel, first))) !== withoutDependencies(entries[first.stackName])) return false;
    for (const m of rest) {
      const dir = path.join(staging, Manifest.stacksFolder, m.stackName);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), instantiate(template.stackJson, sentinel, m));
      entries[m.stackName] = JSON.parse(instantiate(template.manifestEntry, sentinel, m));
    }
    return true;
  } finally {
    fs.rmSync(protoDir, { recursive: true, force: true });
  }
}

function runWorker(
  planned: Plan<ParsedConfig>,
  stackNames: string[],
  outdir: string,
  batchSize: number,
  onBatch: (n: number) => void,
  running: Worker[],
): Promise<ManifestEntries> {
  return new Promise((resolve, reject) => {
    // A Plan holds compiled matchers, which do not cross threads: the worker plans the same config once.
    const worker = new Worker(path.join(__dirname, 'synth-worker.js'), { workerData: { config: planned.config, backend: planned.backend, stackNames, outdir, batchSize } });
    running.push(worker);
    let result: ManifestEntries | undefined;
    worker.on('message', (m: { batch?: number; entries?: ManifestEntries }) => {
      if (m.batch !== undefined) onBatch(m.batch);
      if (m.entries) result = m.entries;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`synth worker exited with code ${code}`))));
  });
}
