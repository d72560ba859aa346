import type { Command } from 'commander';
import * as path from 'path';
import { formatProblem, loadConfig, resolveConfigPath } from '../config/load';
import { UserError } from '../errors';
import { lintFilterPattern, type LintFinding } from '../filter-pattern';
import { planDetections } from '../monitoring/plan';
import { configOption } from './options';

export function register(program: Command): void {
  program
    .command('lint')
    .description('lint every filter pattern the config renders or declares (or one --pattern): syntax, ambiguous ||/&&, != inside ||, unknown CloudTrail fields, length; run the samples of custom detections')
    .addOption(configOption())
    .option('-p, --pattern <pattern>', 'lint this one pattern instead of the config')
    .action((opts: { config?: string; pattern?: string }) => {
      const targets: { name: string; pattern: string; findings: LintFinding[] }[] = [];
      /** Where in the config a finding comes from (`tw.yaml:14:16`), by its config warning's message. */
      const located = new Map<string, string>();
      /** Lines saying which custom detections' samples ran (a failing sample stops loading, with its line:column). */
      const sampleLines: string[] = [];
      if (opts.pattern !== undefined) {
        targets.push({ name: '--pattern', pattern: opts.pattern, findings: lintFilterPattern(opts.pattern) });
      } else {
        // Loading already refuses a config whose patterns have lint errors (with line:column), as synth does.
        const file = resolveConfigPath(opts.config);
        const { config, warnings } = loadConfig(file);
        for (const d of planDetections(config.monitoring).detections) targets.push({ name: d.id, pattern: d.pattern, findings: lintFilterPattern(d.pattern) });
        for (const c of config.monitoring?.custom ?? []) {
          if (!c.samples) continue;
          const [fires, quiet] = [c.samples.fires?.length ?? 0, c.samples.quiet?.length ?? 0];
          sampleLines.push(`${c.id}: samples: ${fires} firing and ${quiet} quiet, each as labelled\n`);
        }
        // The config's warnings include each pattern's lint warnings: print those once, below, as findings.
        const findingMessages = new Set(targets.flatMap((t) => t.findings.map((f) => `the pattern of ${t.name}: ${f.message}`)));
        for (const w of warnings) {
          if (!findingMessages.has(w.message)) process.stderr.write(`trailwatch: warning: ${formatProblem(file, w)}\n`);
          else if (w.line !== undefined) located.set(w.message, `${path.basename(file)}:${w.line}:${w.column}`);
        }
      }
      let errors = 0;
      let warnings = 0;
      for (const t of targets) {
        for (const f of t.findings) {
          if (f.severity === 'error') errors++;
          else warnings++;
          const where = located.get(`the pattern of ${t.name}: ${f.message}`);
          process.stdout.write(`${t.name}: ${formatFinding(f)}${where ? ` (${where})` : ''}\n`);
        }
      }
      for (const l of sampleLines) process.stdout.write(l);
      process.stdout.write(`${targets.length} pattern${targets.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      if (errors > 0) throw new UserError('lint found errors', 1);
    });
}

function formatFinding(f: LintFinding): string {
  return `${f.severity} ${f.rule}: ${f.message}${f.column !== undefined && !f.message.includes('column') ? ` (column ${f.column})` : ''}`;
}
