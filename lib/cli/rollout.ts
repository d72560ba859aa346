import { InvalidArgumentError, type Command } from 'commander';
import * as path from 'path';
import { workspaceName } from '../backend/state-backend';
import type { Plan } from '../plan/plan';
import { deployDependencies, reasonFor, type DeployDependency } from '../rollout/dependencies';
import { listNames } from '../rollout/patterns';
import { planRollout } from '../rollout/plan';
import { DEFAULT_CONFIG_FILE } from '../config/load';
import { configOption, loadConfigForCli } from './options';

export const DEFAULT_PARALLELISM = 10;

/**
 * `rollout --json`: the waves in order, each with its exact deploy command (`workspaces` only with
 * a Terraform Cloud backend), the --parallelism the commands use, and the deploy-order
 * dependencies, the same list `dependencies` of cdktf.out/manifest.json holds.
 */
export interface RolloutJson {
  readonly parallelism: number;
  readonly waves: readonly { readonly index: number; readonly stacks: readonly string[]; readonly command: string; readonly workspaces?: readonly string[] }[];
  readonly dependencies: readonly { readonly stack: string; readonly dependsOn: string; readonly reason: string }[];
}

/** cdktf refuses to deploy a stack whose manifest dependencies are not in the same command unless told they were deployed. */
export const IGNORE_MISSING_DEPENDENCIES = '--ignore-missing-stack-dependencies';

/**
 * How the printed commands make cdktf synthesize `file`: cdktf runs cdktf.json's app
 * (`node bin/trailwatch.js synth`), which reads ./trailwatch.yaml unless TRAILWATCH_CONFIG names
 * another file; so any other file is passed in front of the command.
 */
export function configPrefix(file: string, cwd = process.cwd()): string {
  if (path.resolve(file) === path.resolve(cwd, DEFAULT_CONFIG_FILE)) return '';
  const rel = path.relative(cwd, file);
  const shown = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
  return `TRAILWATCH_CONFIG=${shellQuote(shown)} `;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function rolloutJson(plan: Plan, file: string, parallelism: number): RolloutJson {
  const backend = plan.backend;
  const dependencies = deployDependencies(plan);
  const prefix = configPrefix(file);
  return {
    parallelism,
    waves: planRollout(plan).waves.map((w) => {
      // An earlier wave deployed what these stacks need; cdktf would otherwise refuse to start.
      const inWave = new Set(w.stacks);
      const needsEarlier = dependencies.some((d) => inWave.has(d.stack) && !inWave.has(d.dependsOn));
      return {
        index: w.index,
        stacks: w.stacks,
        command: `${prefix}npx cdktf deploy ${w.stacks.join(' ')} --parallelism ${parallelism}${needsEarlier ? ` ${IGNORE_MISSING_DEPENDENCIES}` : ''}`,
        ...(backend.type === 'cloud' ? { workspaces: w.stacks.map((s) => workspaceName(backend, s)) } : {}),
      };
    }),
    dependencies: dependencies.map((d) => ({ stack: d.stack, dependsOn: d.dependsOn, reason: d.reason })),
  };
}

/** Human output: a header, one line per wave with its exact deploy command, then the dependencies. */
export function rolloutText(plan: Plan, file: string, parallelism: number): string {
  const rollout = planRollout(plan);
  const { waves } = rolloutJson(plan, file, parallelism);
  const dependencies = deployDependencies(plan);
  const source = rollout.configured
    ? `rollout.waves in ${path.basename(file)}`
    : 'default order: core accounts as their dependencies need, then members; set rollout.waves to change it';
  const total = waves.reduce((n, w) => n + w.stacks.length, 0);
  const lines = [`${waves.length} wave${waves.length === 1 ? '' : 's'}, ${total} account stacks (${source}). Deploy the waves in order; stop at the first failure:`];
  for (const w of waves) {
    const workspaces = w.workspaces ? `  # workspaces: ${w.workspaces.join(' ')}` : '';
    lines.push(`  wave ${w.index} (${w.stacks.length} stack${w.stacks.length === 1 ? '' : 's'}): ${w.command}${workspaces}`);
  }
  if (dependencies.length > 0) {
    lines.push("Deploy order (also in cdktf.out/manifest.json, which `cdktf deploy '*'` follows):");
    for (const g of groupDependencies(dependencies)) lines.push(`  ${listNames(g.stacks)} after ${g.dependsOn}: ${reasonFor(g.first, g.stacks.length)}`);
  }
  return lines.join('\n') + '\n';
}

/** Dependencies with the same target and reason, as one line (200 members forwarding to one bus). */
function groupDependencies(dependencies: readonly DeployDependency[]): { dependsOn: string; first: DeployDependency; stacks: string[] }[] {
  const groups = new Map<string, { dependsOn: string; first: DeployDependency; stacks: string[] }>();
  for (const d of dependencies) {
    const key = `${d.dependsOn} ${d.reason}`;
    const g = groups.get(key) ?? { dependsOn: d.dependsOn, first: d, stacks: [] };
    g.stacks.push(d.stack);
    groups.set(key, g);
  }
  return [...groups.values()];
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new InvalidArgumentError('expected a whole number of stacks from 1 to 9999.');
  return Number(value);
}

export function register(program: Command): void {
  program
    .command('rollout')
    .description('print the rollout waves in order, each with the `cdktf deploy` command that deploys its stacks, and the deploy-order dependencies')
    .addOption(configOption())
    .option('--json', 'print {"parallelism","waves":[{"index","stacks","command","workspaces"}],"dependencies":[{"stack","dependsOn","reason"}]} for pipelines (workspaces only with backend type cloud)')
    .option('-p, --parallelism <k>', 'stacks deployed at once within a wave (cdktf deploy --parallelism)', positiveInteger, DEFAULT_PARALLELISM)
    .action((opts: { config?: string; json?: boolean; parallelism: number }) => {
      const { plan, file } = loadConfigForCli(opts.config);
      process.stdout.write(opts.json ? JSON.stringify(rolloutJson(plan, file, opts.parallelism), null, 2) + '\n' : rolloutText(plan, file, opts.parallelism));
    });
}
