import type { Command } from 'commander';
import * as path from 'path';
import { formatPath, formatProblem, loadConfig, resolveConfigPath } from '../config/load';
import { UserError } from '../core/errors';
import { lintFilterPattern, type LintFinding } from '../filter-pattern';
import type { Finding } from './findings';
import { configOption, flagRules, writeReport } from './options';

/** `lint --json`: one object on stdout whatever the outcome. */
export interface LintJson {
  /** The config file, or null for --pattern. */
  readonly file: string | null;
  /** Patterns linted (0 when the config could not be read). */
  readonly patterns: number;
  readonly errors: number;
  readonly warnings: number;
  /** Each finding: the pattern's lint findings (rule, pattern column) and the config's own problems (rule `config`), at file:line:column. */
  readonly findings: readonly (Finding & { readonly patternColumn?: number })[];
}

export function register(program: Command): void {
  const command = program
    .command('lint')
    .description('lint every filter pattern the config renders or declares (or one --pattern): syntax, ambiguous ||/&&, != inside ||, unknown CloudTrail fields, length; run the samples of custom detections')
    .addOption(configOption())
    .option('-p, --pattern <pattern>', 'lint this one pattern instead of the config')
    .option('--json', 'print {"file","patterns","errors","warnings","findings":[{"severity","rule","message","detection","path","line","column"}]} on stdout')
    .option('--sarif <file>', 'also write the findings as SARIF 2.1.0 (GitHub code scanning), each at its config file:line:column');
  flagRules(command, [
    { flag: 'pattern', conflicts: ['config'], because: '--pattern lints the one pattern given and reads no config' },
    { flag: 'sarif', conflicts: ['pattern'], because: 'SARIF places each finding in a file, and --pattern has none' },
  ]);
  command.action((opts: { config?: string; pattern?: string; json?: boolean; sarif?: string }) => {
    const targets: { name: string; findings: LintFinding[] }[] = [];
    const findings: (Finding & { patternColumn?: number })[] = [];
    /** Lines saying which custom detections' samples ran (a failing sample stops loading, with its line:column). */
    const sampleLines: string[] = [];
    let file: string | undefined;
    let failure: unknown;
    if (opts.pattern !== undefined) {
      const own = lintFilterPattern(opts.pattern);
      targets.push({ name: '--pattern', findings: own });
      for (const f of own) findings.push({ severity: f.severity, rule: f.rule, message: f.message, detection: '--pattern', ...(f.column !== undefined ? { patternColumn: f.column } : {}) });
    } else {
      const { failureFindings } = require('./findings') as typeof import('./findings');
      try {
        file = resolveConfigPath(opts.config);
        // Loading already refuses a config whose patterns have lint errors (with line:column), as synth does.
        const { config, plan, warnings } = loadConfig(file);
        for (const d of plan.detections.detections) targets.push({ name: d.id, findings: lintFilterPattern(d.pattern) });
        for (const c of config.monitoring?.custom ?? []) {
          if (!c.samples) continue;
          const [fires, quiet] = [c.samples.fires?.length ?? 0, c.samples.quiet?.length ?? 0];
          sampleLines.push(`${c.id}: samples: ${fires} firing and ${quiet} quiet, each as labelled\n`);
        }
        // The config's warnings include each pattern's lint warnings: those are findings (with their place), the rest config warnings.
        const located = new Map(warnings.map((w) => [w.message, w]));
        for (const t of targets) {
          for (const f of t.findings) {
            // The config loaded, so each acknowledgeable error in it is listed under acknowledge: (else loading refuses it).
            if (f.acknowledgeable) continue;
            const w = located.get(`the pattern of ${t.name}: ${f.message}`);
            if (w) located.delete(w.message);
            findings.push({
              severity: f.severity,
              rule: f.rule,
              message: f.message,
              detection: t.name,
              file,
              ...(w ? { path: formatPath(w.path), ...(w.line !== undefined ? { line: w.line, column: w.column } : {}) } : {}),
              ...(f.column !== undefined ? { patternColumn: f.column } : {}),
            });
          }
        }
        for (const w of located.values()) {
          if (!opts.json) process.stderr.write(`trailwatch: warning: ${formatProblem(file, w)}\n`);
          findings.push({ severity: 'warning', rule: 'config', message: w.message, path: formatPath(w.path), file, ...(w.line !== undefined ? { line: w.line, column: w.column } : {}) });
        }
      } catch (e) {
        if (!opts.json && !opts.sarif) throw e;
        failure = e;
        findings.push(...failureFindings(file ?? opts.config ?? '', e));
      }
    }
    if (opts.sarif !== undefined) {
      const { findingsAsSarif } = require('./findings') as typeof import('./findings');
      writeReport('--sarif', opts.sarif, findingsAsSarif(findings));
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    if (opts.json) {
      const out: LintJson = { file: file ?? null, patterns: targets.length, errors, warnings, findings };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      if (errors > 0) throw new UserError(failure ? `lint: ${file ?? 'the config'} could not be linted (listed in the JSON on stdout)` : 'lint found errors', 1);
      return;
    }
    if (failure) throw failure;
    let patternErrors = 0;
    let patternWarnings = 0;
    for (const f of findings) {
      if (f.rule === 'config') continue; // printed on stderr above
      if (f.severity === 'error') patternErrors++;
      else patternWarnings++;
      const where = f.line !== undefined && file ? ` (${path.basename(file)}:${f.line}:${f.column})` : '';
      process.stdout.write(`${f.detection}: ${formatFinding(f)}${where}\n`);
    }
    for (const l of sampleLines) process.stdout.write(l);
    process.stdout.write(
      `${targets.length} pattern${targets.length === 1 ? '' : 's'}: ${patternErrors} error${patternErrors === 1 ? '' : 's'}, ${patternWarnings} warning${patternWarnings === 1 ? '' : 's'}\n`,
    );
    if (patternErrors > 0) throw new UserError('lint found errors', 1);
  });
}

function formatFinding(f: Finding & { patternColumn?: number }): string {
  return `${f.severity} ${f.rule}: ${f.message}${f.patternColumn !== undefined && !f.message.includes('column') ? ` (column ${f.patternColumn})` : ''}`;
}
