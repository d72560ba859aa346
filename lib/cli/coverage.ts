import type { Command } from 'commander';
import { configOption, flagRules, loadConfigForCli } from './options';

export function register(program: Command): void {
  const command = program
    .command('coverage')
    .description('the MITRE ATT&CK matrix (tactic -> technique) of the enabled detections, the path each runs on (metric filter, EventBridge, both) and the techniques nothing detects')
    .addOption(configOption())
    .option('--json', 'print the coverage as JSON on stdout')
    .option('--markdown', 'print a Markdown table (for a review or the README)');
  flagRules(command, [{ flag: 'json', conflicts: ['markdown'], because: 'each chooses the output format' }]);
  command
    .action((opts: { config?: string; json?: boolean; markdown?: boolean }) => {
      const { config } = loadConfigForCli(opts.config);
      const { computeCoverage, coverageMarkdown, coverageText } = require('../coverage/coverage') as typeof import('../coverage/coverage');
      const coverage = computeCoverage(config);
      if (opts.json) process.stdout.write(JSON.stringify(coverage) + '\n');
      else process.stdout.write(opts.markdown ? coverageMarkdown(coverage) : coverageText(coverage));
    });
}
