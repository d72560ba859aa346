import type { Command } from 'commander';
import { ConfigError, resolveConfigPath, type ConfigProblem } from '../config/load';
import { UserError } from '../core/errors';
import type { Finding } from './findings';
import { configOption, loadConfigForCli, writeReport } from './options';

/**
 * `validate --json`: one object on stdout whatever the outcome; `problems` holds the errors and the
 * (unacknowledged) warnings, each with its path, line and column (when known) and severity.
 */
export interface ValidateJson {
  readonly file: string;
  readonly valid: boolean;
  readonly problems: readonly {
    readonly severity: 'error' | 'warning';
    readonly path: string;
    readonly line?: number;
    readonly column?: number;
    readonly message: string;
  }[];
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check the config (every problem at once, with line:column) without writing anything')
    .addOption(configOption())
    .option('--json', 'print {"file","valid","problems":[{"severity","path","line","column","message"}]} on stdout, whatever happens (exit 1 when not valid)')
    .option('--strict', 'treat warnings as errors (acknowledge a warning you accept under `acknowledge:` in the config)')
    .option('--sarif <file>', 'also write the problems as SARIF 2.1.0 (GitHub code scanning), each at its config file:line:column')
    .option('--junit <file>', 'also write a JUnit XML report: one test case per problem (a clean config is one passing case)')
    .action((opts: { config?: string; json?: boolean; strict?: boolean; sarif?: string; junit?: string }) => {
      const started = Date.now();
      const reports = opts.sarif !== undefined || opts.junit !== undefined;
      if (!opts.json && !reports) {
        const { plan, file, warnings } = loadConfigForCli(opts.config, { silent: opts.strict });
        if (opts.strict && warnings.length > 0) {
          throw new ConfigError(file, warnings, `--strict: ${warnings.length === 1 ? 'a warning counts as an error' : 'warnings count as errors'} (fix, or list the path under acknowledge:)`);
        }
        process.stdout.write(`${file}: valid (${plan.organization.accounts.length} account stacks, ${plan.config.organization.regions.length} governed regions)\n`);
        return;
      }
      // --json (and the report files) describe every outcome: a missing, unreadable or directory config too.
      const { failureFindings, problemFinding, findingsAsJUnit, findingsAsSarif } = require('./findings') as typeof import('./findings');
      let file = opts.config ?? process.env.TRAILWATCH_CONFIG ?? '';
      let findings: Finding[];
      let failure: unknown;
      try {
        file = resolveConfigPath(opts.config);
        const loaded = loadConfigForCli(opts.config, { silent: opts.json || opts.strict });
        findings = loaded.warnings.map((w) => problemFinding(file, w, opts.strict ? 'error' : 'warning'));
      } catch (e) {
        findings = failureFindings(file, e);
        failure = e;
      }
      if (opts.sarif !== undefined) writeReport('--sarif', opts.sarif, findingsAsSarif(findings));
      if (opts.junit !== undefined) writeReport('--junit', opts.junit, findingsAsJUnit('validate', file, findings, (Date.now() - started) / 1000));
      const valid = !findings.some((f) => f.severity === 'error');
      if (!opts.json) {
        if (failure) throw failure;
        if (!valid) throw new ConfigError(file, findings.map(asProblem), '--strict: warnings count as errors (fix, or list the path under acknowledge:)');
        process.stdout.write(`${file}: valid\n`);
        return;
      }
      const out: ValidateJson = {
        file,
        valid,
        problems: findings.map((f) => ({
          severity: f.severity,
          path: f.path ?? '(top level)',
          ...(f.line !== undefined ? { line: f.line, column: f.column } : {}),
          message: f.message,
        })),
      };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      if (!out.valid) throw new UserError(`${out.file || 'the config'}: not valid (${out.problems.length} problem${out.problems.length === 1 ? '' : 's'}, listed in the JSON on stdout)`);
    });
}

/** A finding back as the config problem it came from (for the --strict text error). */
function asProblem(f: Finding): ConfigProblem {
  return { path: f.path ? [f.path] : [], message: f.message, ...(f.line !== undefined ? { line: f.line, column: f.column } : {}) };
}
