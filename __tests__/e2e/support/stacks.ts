/** Synthesized stacks as the e2e runner sees them: deployment order, Terraform steps, logs. */
import * as fs from 'fs';
import * as path from 'path';
import { terraformAsync, type CommandRun } from '../../support/terraform';

interface ManifestStack {
  readonly name: string;
  readonly dependencies?: readonly string[];
  readonly workingDirectory: string;
}

/** The stacks of a cdktf.out folder with their working directories (manifest.json). */
export function readManifest(outdir: string): Record<string, ManifestStack> {
  return (JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, ManifestStack> }).stacks;
}

/**
 * Stack names in dependency order (every stack after the stacks it depends on; otherwise manifest
 * order), as `cdktf deploy` orders them. Throws on a cycle or an unknown dependency.
 */
export function deploymentOrder(outdir: string): string[] {
  const stacks = readManifest(outdir);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`stack dependency cycle: ${[...chain, name].join(' -> ')}`);
    const stack = stacks[name];
    if (!stack) throw new Error(`stack ${chain[chain.length - 1]} depends on ${name}, which is not in the manifest`);
    state.set(name, 'visiting');
    for (const dep of stack.dependencies ?? []) visit(dep, [...chain, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(stacks)) visit(name, []);
  return order;
}

/** Stacks handled at once by inDependencyOrder (TRAILWATCH_E2E_PARALLELISM overrides). */
export const PARALLELISM = Math.max(1, Number(process.env.TRAILWATCH_E2E_PARALLELISM) || 2);

/**
 * Runs `task` for every stack of the manifest, at most `parallelism` at a time, each stack only
 * once the stacks it depends on are done (with `reverse`: once the stacks depending on it are
 * done, the order of a destroy), as `cdktf deploy` does. A stack whose prerequisite failed is not
 * attempted. Returns the failures (one message each) and the stacks done, in completion order.
 */
export async function inDependencyOrder(
  outdir: string,
  task: (stack: string) => Promise<void>,
  options: { readonly reverse?: boolean; readonly only?: readonly string[]; readonly parallelism?: number } = {},
): Promise<{ failures: string[]; done: string[] }> {
  const manifest = readManifest(outdir);
  const order = deploymentOrder(outdir).filter((s) => !options.only || options.only.includes(s));
  if (options.reverse) order.reverse();
  const prerequisites = (stack: string) =>
    (options.reverse ? order.filter((other) => (manifest[other].dependencies ?? []).includes(stack)) : [...(manifest[stack].dependencies ?? [])]).filter(
      (p) => order.includes(p),
    );
  // Longest chain first: a stack others wait on (the log archive, before the management stack)
  // starts before one nothing waits on, so the chain that decides the run's length is never queued.
  const waiting = (stack: string) => order.filter((other) => prerequisites(other).includes(stack));
  const height = new Map<string, number>();
  const heightOf = (stack: string): number => {
    if (!height.has(stack)) height.set(stack, 1 + Math.max(0, ...waiting(stack).map(heightOf)));
    return height.get(stack)!;
  };
  const done: string[] = [];
  const failed = new Set<string>();
  const failures: string[] = [];
  const pending = [...order].sort((a, b) => heightOf(b) - heightOf(a));
  const running = new Map<string, Promise<void>>();
  while (pending.length > 0 || running.size > 0) {
    for (const stack of [...pending]) {
      const blockedBy = prerequisites(stack).filter((p) => failed.has(p));
      if (blockedBy.length > 0) {
        pending.splice(pending.indexOf(stack), 1);
        failed.add(stack);
        failures.push(`${stack}: not attempted, because ${blockedBy.join(', ')} failed`);
      } else if (running.size < (options.parallelism ?? PARALLELISM) && prerequisites(stack).every((p) => done.includes(p))) {
        pending.splice(pending.indexOf(stack), 1);
        running.set(
          stack,
          task(stack).then(
            () => {
              done.push(stack);
              running.delete(stack);
            },
            (e: Error) => {
              failed.add(stack);
              failures.push(e.message);
              running.delete(stack);
            },
          ),
        );
      }
    }
    if (running.size === 0 && pending.length > 0) throw new Error(`stacks waiting on each other: ${pending.join(', ')}`);
    if (running.size > 0) await Promise.race(running.values());
  }
  return { failures, done };
}

/**
 * Makes a deployed stack destroyable in the emulator, as an operator retiring it would: the log
 * archive is protected (`lifecycle.prevent_destroy`) and its buckets hold objects (moto writes S3
 * access logs as real S3 does), so turn the protection off and set `force_destroy` on every S3
 * bucket, in the synthesized JSON and in the state (destroy reads force_destroy from the state).
 * Only the harness's temporary working copy changes; the generated code keeps its protection.
 * Returns the addresses changed.
 */
export async function allowDestroy(stackDir: string, stack: string, logDir: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const file = path.join(stackDir, 'cdk.tf.json');
  type Resource = { lifecycle?: { prevent_destroy?: boolean }; force_destroy?: boolean };
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, Resource>> };
  const changed = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) {
      if (resource.lifecycle?.prevent_destroy) {
        resource.lifecycle.prevent_destroy = false;
        changed.add(`${type}.${name}`);
      }
      if (type === 'aws_s3_bucket' && resource.force_destroy !== true) {
        resource.force_destroy = true;
        changed.add(`${type}.${name}`);
      }
    }
  }
  if (changed.size === 0) return [];
  fs.writeFileSync(file, JSON.stringify(json, null, 2));

  const state = await pullState(stackDir, logDir, `${stack} state pull (allow destroy)`, env);
  const buckets = ((state?.resources ?? []) as Record<string, any>[]).filter((r) => r.mode === 'managed' && r.type === 'aws_s3_bucket');
  if (state && buckets.length > 0) {
    for (const r of buckets) for (const i of r.instances ?? []) i.attributes.force_destroy = true;
    state.serial += 1;
    const pushed = path.join(stackDir, 'e2e-allow-destroy.tfstate');
    fs.writeFileSync(pushed, JSON.stringify(state));
    await step(logDir, `${stack} state push (allow destroy)`, () => terraformAsync(stackDir, ['state', 'push', pushed], TIMEOUTS.statePull, env));
    fs.rmSync(pushed);
  }
  return [...changed].sort();
}

/** Per-command limits: a hung provider or emulator fails the run instead of stalling CI. */
export const TIMEOUTS = {
  init: 120_000,
  apply: 300_000,
  plan: 180_000,
  destroy: 300_000,
  statePull: 60_000,
  cdktf: 600_000,
} as const;

/** Durations of every command, printed at the end of the run. */
export const timings: { label: string; ms: number }[] = [];

/**
 * Runs a command through `run`, records its duration and output (`<logDir>/<label>.log`), and
 * throws a readable error (exit code, timeout, last lines of output) unless its exit code is
 * one of `okCodes`.
 */
export async function step(logDir: string, label: string, run: () => Promise<CommandRun>, okCodes: readonly number[] = [0]): Promise<CommandRun> {
  const r = await run();
  timings.push({ label, ms: r.durationMs });
  const log = path.join(logDir, `${label.replace(/[^\w.-]+/g, '_')}.log`);
  fs.mkdirSync(logDir, { recursive: true });
  fs.writeFileSync(log, `${r.stdout}\n--- stderr ---\n${r.stderr}`);
  if (!okCodes.includes(r.status)) {
    const why = r.timedOut ? `timed out after ${Math.round(r.durationMs / 1000)}s` : `exited with ${r.status}`;
    const output = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-60).join('\n');
    throw new Error(`${label}: ${why} (full log: ${log})\n${output}`);
  }
  return r;
}

/** `terraform state pull` of an initialized stack folder: the state as JSON, or null if there is none. */
export async function pullState(stackDir: string, logDir: string, label: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, any> | null> {
  const r = await step(logDir, label, () => terraformAsync(stackDir, ['state', 'pull'], TIMEOUTS.statePull, env));
  return r.stdout.trim() === '' ? null : (JSON.parse(r.stdout) as Record<string, any>);
}

/** Terraform steps of one stack folder, logged under `logDir`; `env` is added to terraformEnv(). */
export function stackSteps(stackDir: string, stack: string, logDir: string, env: NodeJS.ProcessEnv = {}) {
  const tf = (verb: string, args: string[], timeoutMs: number, okCodes?: readonly number[]) =>
    step(logDir, `${stack} ${verb}`, () => terraformAsync(stackDir, args, timeoutMs, env), okCodes);
  return {
    init: () => tf('init', ['init', '-input=false', '-no-color'], TIMEOUTS.init),
    apply: () => tf('apply', ['apply', '-auto-approve', '-input=false', '-no-color'], TIMEOUTS.apply),
    /** `plan -detailed-exitcode`: 0 no changes, 2 changes (returned, not thrown), 1 error (thrown). */
    plan: (label = 'plan') => tf(label, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false'], TIMEOUTS.plan, [0, 2]),
    // No refresh: the state is the one apply just wrote; refreshing every resource again only costs time.
    destroy: () => tf('destroy', ['destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false'], TIMEOUTS.destroy),
    state: () => pullState(stackDir, logDir, `${stack} state pull`, env),
    json: () => JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as Record<string, any>,
  };
}

/** The planned changes in a `terraform plan` output, for failure messages. */
export function planSummary(run: CommandRun): string {
  const lines = run.stdout.split('\n');
  const first = lines.findIndex((l) => /^\s*# .* (will|must) be /.test(l));
  const last = lines.findIndex((l) => /^Plan: /.test(l));
  const summary = first >= 0 ? lines.slice(first, last >= 0 ? last + 1 : undefined).join('\n') : run.stdout;
  return summary.length > 6000 ? `${summary.slice(0, 6000)}\n...` : summary;
}

/**
 * Refuses to go on unless every AWS provider of the stack talks to the emulator only: every
 * emulated service's endpoint is `endpoint` and the credentials are the fake ones. A guard against
 * deploying the example to a real account because TRAILWATCH_AWS_ENDPOINT was not picked up.
 */
export function assertEmulated(stack: string, tfJson: Record<string, any>, endpoint: string, services: readonly string[]): void {
  const providers = (tfJson.provider?.aws ?? []) as Record<string, any>[];
  if (providers.length === 0) throw new Error(`${stack}: no AWS provider in cdk.tf.json`);
  for (const p of providers) {
    const endpoints = (p.endpoints?.[0] ?? {}) as Record<string, string>;
    const wrong = services.filter((s) => endpoints[s] !== endpoint);
    if (wrong.length > 0 || p.access_key !== 'test' || p.allowed_account_ids !== undefined) {
      throw new Error(`${stack}: provider ${p.alias ?? '(default)'} is not confined to the emulator ${endpoint} (services not pointed at it: ${wrong.join(', ') || 'none'}); refusing to deploy`);
    }
  }
}
