import { InvalidArgumentError, Option, type Command } from 'commander';
import { configOption, flagRules, loadConfigForCli, wholeNumber } from './options';

export function register(program: Command): void {
  const command = program
    .command('estimate')
    .description('monthly cost of what trailwatch deploys, per account stack and for the organization, by line item, with the top cost drivers')
    .addOption(configOption())
    .addOption(
      new Option('-a, --archive <path...>', 'sample CloudTrail archive (files or folders, as backtest reads them): volumes per account are measured from it').argParser(
        (value: string, previous: string[] | undefined) => {
          if (value.trim() === '') throw new InvalidArgumentError('expected a file or folder, got an empty string.');
          return [...(previous ?? []), value];
        },
      ),
    )
    .option('--max-skipped <n>', 'with --archive: how many unreadable files and records (corrupt, truncated, a broken CloudTrailEvent) to leave out before failing (default: 0)', wholeNumber(0))
    .option('--json', 'print the estimate as JSON on stdout')
    .option('--markdown', 'print the estimate as Markdown (for a pull request comment)');
  flagRules(command, [
    { flag: 'json', conflicts: ['markdown'], because: 'each chooses the output format' },
    { flag: 'max-skipped', requires: 'archive', because: '--max-skipped allows unreadable files of the sample archive, and without --archive none is read' },
  ]);
  command
    .action((opts: { config?: string; archive?: string[]; maxSkipped?: number; json?: boolean; markdown?: boolean }) => {
      const { plan } = loadConfigForCli(opts.config);
      // Loaded here: the estimate builds the stacks in memory (cdktf) to count what they deploy.
      const { inventoryFromPlan } = require('../app/inventory') as typeof import('../app/inventory');
      const { estimate } = require('../estimate/model') as typeof import('../estimate/model');
      const { sampleVolumes } = require('../estimate/volumes') as typeof import('../estimate/volumes');
      const render = require('../estimate/render') as typeof import('../estimate/render');
      const onSkipped = (where: string, why: string) => process.stderr.write(`trailwatch: skipped ${where}: ${why}\n`);
      const sample = opts.archive ? sampleVolumes(plan, opts.archive, { maxSkipped: opts.maxSkipped, onSkipped }) : undefined;
      const result = estimate({ plan, inventory: inventoryFromPlan(plan), ...(sample ? { sample } : {}) });
      process.stdout.write(opts.json ? render.renderJson(result) : opts.markdown ? render.renderMarkdown(result) : render.renderText(result));
    });
}
