import type { Command } from 'commander';
import { lintFilterPattern, type LintFinding } from '../filter-pattern';
import { planDetections } from '../monitoring/plan';
import { UserError } from '../errors';
import { configOption, loadConfigForCli } from './options';

export function register(program: Command): void {
  program
    .command('lint')
    .description('lint every filter pattern the config renders or declares (or one --pattern): syntax, ambiguous ||/&&, != inside ||, unknown CloudTrail fields, length')
    .addOption(configOption())
    .option('-p, --pattern <pattern>', 'lint this one pattern instead of the config')
    .action((opts: { config?: string; pattern?: string }) => {
      const targets: { name: string; pattern: string }[] = [];
      if (opts.pattern !== undefined) {
        targets.push({ name: '--pattern', pattern: opts.pattern });
      } else {
        // Loading already refuses a config whose patterns have lint errors (with line:column), as synth does.
        const { config } = loadConfigForCli(opts.config);
        for (const d of planDetections(config.monitoring).detections) targets.push({ name: d.id, pattern: d.pattern });
      }
      let errors = 0;
      let warnings = 0;
      for (const t of targets) {
        const findings = lintFilterPattern(t.pattern);
        for (const f of findings) {
          if (f.severity === 'error') errors++;
          else warnings++;
          process.stdout.write(`${t.name}: ${formatFinding(f)}\n`);
        }
      }
      process.stdout.write(`${targets.length} pattern${targets.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      if (errors > 0) throw new UserError('lint found errors', 1);
    });
}

function formatFinding(f: LintFinding): string {
  return `${f.severity} ${f.rule}: ${f.message}${f.column !== undefined && !f.message.includes('column') ? ` (column ${f.column})` : ''}`;
}
