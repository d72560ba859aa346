/**
 * Synthesize one cdktf App into a fresh staging folder beside the output, then commit it into the
 * output (output.ts: only files trailwatch wrote are overwritten or removed; everything else stays).
 */
import { Manifest } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import type { ParsedConfig } from '../config/schema';
import type { Plan } from '../plan/plan';
import { manifestDependencies } from '../rollout/dependencies';
import { buildApp, type BuildAppOptions } from './build-app';
import { applyOutputPlan, checkOutputTarget, lockOutput, planOutput, recordedStacks, stagingPrefix, type OutputPlan } from './output';

export { checkOutputTarget, OUTPUT_MARKER, stagingPrefix } from './output';

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** What the commit into the output did (or, for a dry run, would do). */
  readonly plan: OutputPlan;
}

export interface CommitOptions {
  /** Plan only: the output is not touched (synth --check / --dry-run). @default false */
  readonly dryRun?: boolean;
}

export function synthToDirectory(planned: Plan<ParsedConfig>, outdir: string, options: Omit<BuildAppOptions, 'outdir'> & CommitOptions = {}): SynthResult {
  const { dryRun, ...buildOptions } = options;
  const target = checkOutputTarget(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const release = dryRun ? () => undefined : lockOutput(target);
  const staging = fs.mkdtempSync(stagingPrefix(target));
  try {
    const { app, stacks } = buildApp(planned, { ...buildOptions, outdir: staging });
    app.synth();
    const names = stacks.map((s) => s.account.stackName);
    const manifestFile = path.join(staging, Manifest.fileName);
    const entries = (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, unknown> }).stacks;
    const kept = keptManifestEntries(planned, target, names);
    if (Object.keys(kept).length > 0) writeManifest(planned, staging, { ...entries, ...kept });
    return { outdir: target, stacks: names, plan: commitStaging(planned, staging, target, names, dryRun) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    release();
  }
}

/** Plans the commit of a finished staging folder into `target` and, unless a dry run, applies it. */
export function commitStaging(planned: Plan, staging: string, target: string, stacks: readonly string[], dryRun = false): OutputPlan {
  const plan = planOutput(staging, target, { stacks, configStacks: configStacks(planned) });
  if (!dryRun) applyOutputPlan(plan);
  return plan;
}

function configStacks(planned: Plan): string[] {
  return planned.organization.accounts.map((a) => a.stackName);
}

/**
 * The manifest.json entries of the stacks a partial synth keeps: in the config, not synthesized
 * now, and written by trailwatch into `target` before (their folders stay as they are).
 */
export function keptManifestEntries(planned: Plan, target: string, synthesized: readonly string[]): Record<string, unknown> {
  const now = new Set(synthesized);
  const recorded = recordedStacks(target);
  const onDisk = (s: string) => fs.existsSync(path.join(target, Manifest.stacksFolder, s, 'cdk.tf.json'));
  const kept = configStacks(planned).filter((s) => !now.has(s) && recorded.has(s) && onDisk(s));
  if (kept.length === 0) return {};
  let old: Record<string, unknown> = {};
  try {
    old = (JSON.parse(fs.readFileSync(path.join(target, Manifest.fileName), 'utf8')) as { stacks?: Record<string, unknown> }).stacks ?? {};
  } catch {
    // no readable manifest: the kept folders stay, without entries
  }
  return Object.fromEntries(kept.filter((s) => old[s] !== undefined).map((s) => [s, old[s]]));
}

/**
 * Writes `dir`/manifest.json with cdktf's own Manifest class (as App.synth() does), one entry per
 * stack of `entries`, each with the deploy dependencies among those stacks.
 */
export function writeManifest(planned: Plan, dir: string, entries: Record<string, unknown>): void {
  const manifest = new Manifest(readCdktfVersion(), dir, false);
  const names = configStacks(planned).filter((s) => entries[s] !== undefined);
  const dependencies = manifestDependencies(planned, names);
  for (const name of names) (manifest.stacks as Record<string, unknown>)[name] = { ...(entries[name] as object), dependencies: dependencies.get(name) };
  manifest.writeToFile();
}

function readCdktfVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')) as { version: string }).version;
}
