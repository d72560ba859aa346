import type { Command } from 'commander';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import { synthToDirectory } from '../app/synth';
import { configOption } from './options';

export function register(program: Command): void {
  program
    .command('synth')
    .description('validate the config and write one Terraform JSON stack per account (cdktf.out/stacks/<account>/cdk.tf.json)')
    .addOption(configOption())
    .option('-o, --out <dir>', 'output folder (default: $CDKTF_OUTDIR or ./cdktf.out)')
    .action((opts: { config?: string; out?: string }) => {
      const file = resolveConfigPath(opts.config);
      const config = loadConfigFile(file);
      const result = synthToDirectory(config, opts.out ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
      process.stderr.write(`trailwatch: synthesized ${result.stacks.length} stacks into ${result.outdir}: ${result.stacks.join(', ')}\n`);
    });
}
