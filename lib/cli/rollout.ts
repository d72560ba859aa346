import { InvalidArgumentError, type Command } from 'commander';
import * as path from 'path';
import { workspaceName } from '../backend/state-backend';
import { planOrganization, type OrganizationPlan } from '../plan/account-plan';
import { planRollout } from '../rollout/plan';
import { configOption, loadConfigForCli } from './options';

export const DEFAULT_PARALLELISM = 10;

/** `rollout --json`: the waves in order; `workspaces` only with a Terraform Cloud backend. */
export interface RolloutJson {
  readonly waves: readonly { readonly index: number; readonly stacks: readonly string[]; readonly workspaces?: readonly string[] }[];
}

export function rolloutJson(org: OrganizationPlan): RolloutJson {
  const backend = org.backend;
  return {
    waves: planRollout(org).waves.map((w) => ({
      index: w.index,
      stacks: w.stacks,
      ...(backend.type === 'cloud' ? { workspaces: w.stacks.map((s) => workspaceName(backend, s)) } : {}),
    })),
  };
}

/** Human output: a header, then one line per wave with its exact deploy command. */
export function rolloutText(org: OrganizationPlan, file: string, parallelism: number): string {
  const rollout = planRollout(org);
  const { waves } = rolloutJson(org);
  const source = rollout.configured
    ? `rollout.waves in ${path.basename(file)}`
    : 'default order: log archive, then management and security, then members; set rollout.waves to change it';
  const total = waves.reduce((n, w) => n + w.stacks.length, 0);
  const lines = [`${waves.length} wave${waves.length === 1 ? '' : 's'}, ${total} account stacks (${source}). Deploy the waves in order; stop at the first failure:`];
  for (const w of waves) {
    const command = `npx cdktf deploy ${w.stacks.join(' ')} --parallelism ${parallelism}`;
    const workspaces = w.workspaces ? `  # workspaces: ${w.workspaces.join(' ')}` : '';
    lines.push(`  wave ${w.index} (${w.stacks.length} stack${w.stacks.length === 1 ? '' : 's'}): ${command}${workspaces}`);
  }
  return lines.join('\n') + '\n';
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new InvalidArgumentError('expected a whole number of stacks from 1 to 9999.');
  return Number(value);
}

export function register(program: Command): void {
  program
    .command('rollout')
    .description('print the rollout waves in order, each with the `cdktf deploy` command that deploys its stacks')
    .addOption(configOption())
    .option('--json', 'print {"waves":[{"index","stacks","workspaces"}]} for pipelines (workspaces only with backend type cloud)')
    .option('-p, --parallelism <k>', 'stacks deployed at once within a wave (cdktf deploy --parallelism)', positiveInteger, DEFAULT_PARALLELISM)
    .action((opts: { config?: string; json?: boolean; parallelism: number }) => {
      const { config, file } = loadConfigForCli(opts.config);
      const org = planOrganization(config);
      process.stdout.write(opts.json ? JSON.stringify(rolloutJson(org), null, 2) + '\n' : rolloutText(org, file, opts.parallelism));
    });
}
