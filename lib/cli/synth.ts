import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { planOrganization } from '../plan/account-plan';
import { selectStacks } from '../rollout/select';
import { configOption, loadConfigForCli } from './options';

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
    .option('-w, --workers <n>', 'synth worker threads (default: cores, at most 4; 0 synthesizes in the main thread)', (v) => parseInt(v, 10))
    .option('--no-templates', 'synthesize every member stack itself instead of from checked templates (slower; same output)')
    .action(async (opts: { config?: string; out?: string; stacks: string[]; workers?: number; templates: boolean }) => {
      const { config } = loadConfigForCli(opts.config);
      const all = planOrganization(config).accounts.map((a) => a.stackName);
      const selected = opts.stacks.length > 0 ? new Set(selectStacks(opts.stacks, all)) : undefined;
      // Loaded here, not at start-up: cdktf and the provider bindings cost every other command half a second.
      // require, not import(): bin/trailwatch.js registers tsx for CommonJS only.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { synthParallel } = require('../app/parallel-synth') as typeof import('../app/parallel-synth');
      const total = selected?.size ?? all.length;
      const bar =
        process.stderr.isTTY && total >= 20
          ? new SingleBar({ format: 'synth [{bar}] {value}/{total} stacks | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic)
          : undefined;
      bar?.start(total, 0);
      let result;
      try {
        result = await synthParallel(config, opts.out ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out', {
          ...(selected ? { selectStack: (plan) => selected.has(plan.stackName) } : {}),
          ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
          templates: opts.templates,
          onProgress: (done) => bar?.update(done),
        });
      } finally {
        bar?.stop();
      }
      const count = selected ? `${result.stacks.length} of ${all.length} stacks` : `${result.stacks.length} stacks`;
      const names = result.stacks.length <= 20 ? `: ${result.stacks.join(', ')}` : '';
      const templated = result.templated > 0 ? ` (${result.templated} from checked templates)` : '';
      process.stderr.write(`trailwatch: synthesized ${count}${templated} into ${result.outdir}${names}\n`);
    });
}
