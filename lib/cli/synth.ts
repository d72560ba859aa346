import type { Command } from 'commander';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import { synthToDirectory } from '../app/synth';
import { planOrganization } from '../plan/account-plan';
import { selectStacks } from '../rollout/select';
import { configOption } from './options';

export function register(program: Command): void {
  program
    .command('synth')
    .description('validate the config and write one Terraform JSON stack per account (cdktf.out/stacks/<account>/cdk.tf.json)')
    .addOption(configOption())
    .option('-o, --out <dir>', 'output folder (default: $CDKTF_OUTDIR or ./cdktf.out)')
    .option(
      '-s, --stacks <glob>',
      "only the account stacks matching this name or glob (e.g. 'prod-*'); repeat or comma-separate for several (default: every account)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action((opts: { config?: string; out?: string; stacks: string[] }) => {
      const file = resolveConfigPath(opts.config);
      const config = loadConfigFile(file);
      const all = planOrganization(config).accounts.map((a) => a.stackName);
      const selected = opts.stacks.length > 0 ? new Set(selectStacks(opts.stacks, all)) : undefined;
      const result = synthToDirectory(config, opts.out ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out', {
        ...(selected ? { selectStack: (plan) => selected.has(plan.stackName) } : {}),
      });
      const count = selected ? `${result.stacks.length} of ${all.length} stacks` : `${result.stacks.length} stacks`;
      process.stderr.write(`trailwatch: synthesized ${count} into ${result.outdir}: ${result.stacks.join(', ')}\n`);
    });
}
