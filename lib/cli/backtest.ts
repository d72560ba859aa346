import { Option, type Command } from 'commander';
import type { BacktestReport } from '../backtest/run-backtest';
import { UserError } from '../errors';
import { configOption, isoInstant, loadConfigForCli, wholeNumber } from './options';

/** `backtest --json`: the report, its skipped files and how many were allowed. */
export interface BacktestJson extends Omit<BacktestReport, 'skipped'> {
  /** How many files were skipped (corrupt, truncated, unreadable). */
  readonly skipped: number;
  /** Each skipped file and why. */
  readonly skippedFiles: BacktestReport['skipped'];
  /** --max-skipped: how many skipped files still exit 0. */
  readonly maxSkipped: number;
}

/** Athena: [catalog.][database.]table, each a letter or _ then letters, digits and _. */
const ATHENA_TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,254}(\.[A-Za-z_][A-Za-z0-9_]{0,254}){0,2}$/;
/** CloudTrail Lake: the event data store id (the last part of its ARN). */
const LAKE_EVENT_DATA_STORE = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

export function register(program: Command): void {
  program
    .command('backtest')
    .description('replay CloudTrail archives (S3 delivery folders, .json.gz/.json files, LookupEvents exports) through the enabled filters and alarms')
    .argument('[paths...]', 'archive files or folders (e.g. a synced s3://bucket/AWSLogs/)')
    .addOption(configOption())
    .option('--since <date>', 'ignore events before this ISO 8601 date (2026-10-01, UTC) or date-time with a zone (2026-10-01T08:00:00Z)', isoInstant)
    .option('--json', 'print the report as JSON on stdout')
    .option('--workers <n>', 'worker threads (0: evaluate in the main thread)', wholeNumber(0, 64))
    .option('--max-skipped <n>', 'how many unreadable (corrupt, truncated) files to allow before exiting non-zero (default: 0)', wholeNumber(0))
    .addOption(new Option('--emit-sql <engine>', 'print one SQL query per enabled control instead of reading files').choices(['athena', 'cloudtrail-lake']))
    .option('--table <name>', 'with --emit-sql: the table ([database.]table, Athena) or event data store id (CloudTrail Lake) to query')
    .addOption(new Option('--engine <engine>', 'local: replay the archive files given; athena: run the detections on Athena over the table trail.archive.query deploys').choices(['local', 'athena']))
    .option('--until <date>', 'with --engine athena: ignore events at or after this ISO 8601 date or date-time (default: now)', isoInstant)
    .option('--workgroup <name>', 'with --engine athena: the Athena workgroup (default: trail.archive.query.workgroup)')
    .action(
      async (
        paths: string[],
        opts: { config?: string; since?: string; json?: boolean; workers?: number; maxSkipped?: number; emitSql?: 'athena' | 'cloudtrail-lake'; table?: string; engine?: 'local' | 'athena'; until?: string; workgroup?: string },
      ) => {
        if (opts.engine === 'athena') {
          const local = [paths.length > 0 && paths.join(' '), opts.emitSql && '--emit-sql', opts.table !== undefined && '--table', opts.workers !== undefined && '--workers', opts.maxSkipped !== undefined && '--max-skipped'].filter(Boolean);
          if (local.length > 0) throw new UserError(`--engine athena queries the archive where it is and reads no local files; drop ${local.join(', ')}`);
          const { backtestOnAthena } = require('./backtest-athena') as typeof import('./backtest-athena');
          return backtestOnAthena(loadConfigForCli(opts.config).config, opts);
        }
        if (opts.until !== undefined || opts.workgroup !== undefined) {
          throw new UserError(`${opts.until !== undefined ? '--until' : '--workgroup'} is used with --engine athena; add --engine athena, or drop it`);
        }
        if (opts.table !== undefined && !opts.emitSql) {
          throw new UserError('--table names the table the --emit-sql queries read; without --emit-sql, backtest reads archive files and has no table. Add --emit-sql athena|cloudtrail-lake, or drop --table');
        }
        if (opts.emitSql && paths.length > 0) {
          throw new UserError(`--emit-sql prints queries to run where the logs are and reads no files; drop ${paths.join(' ')}, or drop --emit-sql to replay them here`);
        }
        if (opts.emitSql && opts.table !== undefined) {
          const [pattern, what] = opts.emitSql === 'athena' ? [ATHENA_TABLE, 'an Athena table name ([database.]table: letters, digits and _, not starting with a digit)'] : [LAKE_EVENT_DATA_STORE, 'a CloudTrail Lake event data store id (letters, digits and -)'];
          if (!pattern.test(opts.table)) throw new UserError(`--table: expected ${what}, got ${JSON.stringify(opts.table)}`);
        }
        const { config } = loadConfigForCli(opts.config);
        // The engine is loaded by the command that uses it, not at start-up.
        const { backtestFilters, backtestSql } = require('../backtest/filters') as typeof import('../backtest/filters');
        if (opts.emitSql) {
          process.stdout.write(backtestSql(config, opts.emitSql, { table: opts.table, since: opts.since }));
          return;
        }
        if (paths.length === 0) throw new UserError('backtest: give at least one archive file or folder (or --emit-sql athena|cloudtrail-lake)');
        const { listArchiveFiles } = require('../backtest/archive') as typeof import('../backtest/archive');
        const { runBacktest } = require('../backtest/run-backtest') as typeof import('../backtest/run-backtest');
        let files: string[];
        try {
          files = listArchiveFiles(paths, opts.since ? new Date(opts.since) : undefined);
        } catch (e) {
          throw new UserError(`backtest: cannot read ${(e as NodeJS.ErrnoException).path ?? paths.join(', ')}: ${(e as Error).message}`);
        }
        if (files.length === 0) throw new UserError(`backtest: no .json.gz, .json or .jsonl files under ${paths.join(', ')}`);

        const { Presets, SingleBar } = require('cli-progress') as typeof import('cli-progress');
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: 'backtest [{bar}] {value}/{total} files | {events} events | {rate} events/s | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic)
          : undefined;
        const started = Date.now();
        bar?.start(files.length, 0, { events: 0, rate: 0 });
        const report = await runBacktest(files, backtestFilters(config), {
          workers: opts.workers,
          since: opts.since,
          onFile: (done, _total, events) => bar?.update(done, { events, rate: Math.round(events / Math.max(0.001, (Date.now() - started) / 1000)) }),
        });
        bar?.stop();
        const maxSkipped = opts.maxSkipped ?? 0;
        for (const s of report.skipped) process.stderr.write(`trailwatch: skipped ${s.file}: ${s.error}\n`);
        if (opts.json) {
          const { skipped, ...rest } = report;
          const json: BacktestJson = { ...rest, skipped: skipped.length, skippedFiles: skipped, maxSkipped };
          process.stdout.write(JSON.stringify(json) + '\n');
        } else {
          process.stdout.write(formatReport(report));
        }
        if (report.skipped.length > maxSkipped) {
          const n = report.skipped.length;
          throw new UserError(
            `backtest: ${n} of ${files.length} files could not be read and were skipped (--max-skipped ${maxSkipped}), so the report misses their events; ` +
              `fix or remove them, or accept that with --max-skipped ${n}`,
          );
        }
      },
    );
}

function formatReport(r: BacktestReport): string {
  const lines = [
    `${r.events} events in ${r.files} files (${r.skipped.length} skipped) in ${r.seconds.toFixed(1)} s, spanning ${r.days} day${r.days === 1 ? '' : 's'}`,
    '',
    `${'detection'.padEnd(36)} ${'kind'.padEnd(6)} ${'matches'.padStart(9)} ${'alarms'.padStart(7)} ${'per day'.padStart(8)}  ${'ATT&CK'.padEnd(20)} top identity`,
  ];
  for (const f of r.filters) {
    const who = f.top.identities[0];
    const attack = f.techniques.length > 0 ? f.techniques.join(',') : '-';
    lines.push(
      `${f.name.padEnd(36)} ${f.kind.padEnd(6)} ${String(f.matches).padStart(9)} ${String(f.alarms).padStart(7)} ${f.alarmsPerDay.toFixed(2).padStart(8)}  ${attack.padEnd(20)} ${who ? `${who.value} (${who.count})` : '-'}`,
    );
  }
  return lines.join('\n') + '\n';
}
