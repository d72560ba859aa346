import type { Command } from 'commander';
import { ConfigError, formatPath, type ConfigProblem } from '../config/load';
import { UserError } from '../errors';
import { planOrganization } from '../plan/account-plan';
import { configOption, loadConfigForCli } from './options';

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

const toJson = (severity: 'error' | 'warning') => (p: ConfigProblem) => ({
  severity,
  path: formatPath(p.path),
  ...(p.line !== undefined ? { line: p.line, column: p.column } : {}),
  message: p.message,
});

export function register(program: Command): void {
  program
    .command('validate')
    .description('check the config (every problem at once, with line:column) without writing anything')
    .addOption(configOption())
    .option('--json', 'print {"file","valid","problems":[{"severity","path","line","column","message"}]} on stdout (exit 1 when not valid)')
    .option('--strict', 'treat warnings as errors (acknowledge a warning you accept under `acknowledge:` in the config)')
    .action((opts: { config?: string; json?: boolean; strict?: boolean }) => {
      if (!opts.json) {
        const { config, file, warnings } = loadConfigForCli(opts.config, { silent: opts.strict });
        if (opts.strict && warnings.length > 0) {
          throw new ConfigError(file, warnings, `--strict: ${warnings.length === 1 ? 'a warning counts as an error' : 'warnings count as errors'} (fix, or list the path under acknowledge:)`);
        }
        const plan = planOrganization(config);
        process.stdout.write(`${file}: valid (${plan.accounts.length} account stacks, ${plan.config.organization.regions.length} governed regions)\n`);
        return;
      }
      let out: ValidateJson;
      try {
        const { file, warnings } = loadConfigForCli(opts.config, { silent: true });
        out = { file, valid: !(opts.strict && warnings.length > 0), problems: warnings.map(toJson(opts.strict ? 'error' : 'warning')) };
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        out = { file: e.file, valid: false, problems: e.problems.map(toJson('error')) };
      }
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      if (!out.valid) throw new UserError(`${out.file}: not valid (${out.problems.length} problem${out.problems.length === 1 ? '' : 's'}, listed in the JSON on stdout)`);
    });
}
