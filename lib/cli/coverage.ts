import type { Command } from 'commander';
import { configOption, flagRules, loadConfigForCli } from './options';

export function register(program: Command): void {
  const command = program
    .command('coverage')
    .description('the MITRE ATT&CK matrix (tactic -> technique) of the enabled detections, the path each runs on (metric filter, EventBridge, both) and the techniques nothing detects')
    .addOption(configOption())
    .option('--json', 'print the coverage as JSON on stdout')
    .option('--markdown', 'print a Markdown table (for a review or the README)')
    .option('--navigator <file>', 'also write a MITRE ATT&CK Navigator layer (format 4.5) scored by the detections covering each technique');
  flagRules(command, [{ flag: 'json', conflicts: ['markdown'], because: 'each chooses the output format' }]);
  command
    .action((opts: { config?: string; json?: boolean; markdown?: boolean; navigator?: string }) => {
      const { plan } = loadConfigForCli(opts.config);
      const { computeCoverage, coverageMarkdown, coverageText } = require('../coverage/coverage') as typeof import('../coverage/coverage');
      const coverage = computeCoverage(plan);
      if (opts.navigator) {
        const { navigatorLayer } = require('../coverage/navigator') as typeof import('../coverage/navigator');
        const { writeReport } = require('./report-file') as typeof import('./report-file');
        const layer = navigatorLayer(coverage, { name: `trailwatch ${plan.config.organization.id}`, description: 'Techniques scored by the number of enabled trailwatch detections covering them (trailwatch coverage)' });
        writeReport(opts.navigator, JSON.stringify(layer, null, 2) + '\n', '--navigator');
      }
      if (opts.json) process.stdout.write(JSON.stringify(coverage) + '\n');
      else process.stdout.write(opts.markdown ? coverageMarkdown(coverage) : coverageText(coverage));
    });
}
