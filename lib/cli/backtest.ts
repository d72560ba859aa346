import { Presets, SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { listArchiveFiles } from '../backtest/archive';
import { backtestFilters, backtestSql } from '../backtest/filters';
import { runBacktest, type BacktestReport } from '../backtest/run-backtest';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import { UserError } from '../errors';
import { configOption } from './options';

export function register(program: Command): void {
  program
    .command('backtest')
    .description('replay CloudTrail archives (S3 delivery folders, .json.gz/.json files, LookupEvents exports) through the enabled filters and alarms')
    .argument('[paths...]', 'archive files or folders (e.g. a synced s3://bucket/AWSLogs/)')
    .addOption(configOption())
    .option('--since <date>', 'ignore events before this date (ISO 8601, e.g. 2026-10-01)')
    .option('--json', 'print the report as JSON on stdout')
    .option('--workers <n>', 'worker threads (0: evaluate in the main thread)', (v) => parseInt(v, 10))
    .addOption(new Option('--emit-sql <engine>', 'print one SQL query per enabled control instead of reading files').choices(['athena', 'cloudtrail-lake']))
    .option('--table <name>', 'table (Athena) or event data store id (CloudTrail Lake) for --emit-sql')
    .action(async (paths: string[], opts: { config?: string; since?: string; json?: boolean; workers?: number; emitSql?: 'athena' | 'cloudtrail-lake'; table?: string }) => {
      const config = loadConfigFile(resolveConfigPath(opts.config));
      if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) throw new UserError(`--since: expected a date like 2026-10-01, got ${JSON.stringify(opts.since)}`);
      if (opts.emitSql) {
        process.stdout.write(backtestSql(config, opts.emitSql, { table: opts.table, since: opts.since }));
        return;
      }
      if (paths.length === 0) throw new UserError('backtest: give at least one archive file or folder (or --emit-sql athena|cloudtrail-lake)');
      let files: string[];
      try {
        files = listArchiveFiles(paths, opts.since ? new Date(opts.since) : undefined);
      } catch (e) {
        throw new UserError(`backtest: cannot read ${(e as NodeJS.ErrnoException).path ?? paths.join(', ')}: ${(e as Error).message}`);
      }
      if (files.length === 0) throw new UserError(`backtest: no .json.gz, .json or .jsonl files under ${paths.join(', ')}`);

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
      for (const s of report.skipped) process.stderr.write(`trailwatch: skipped ${s.file}: ${s.error}\n`);
      if (opts.json) {
        const { skipped, ...rest } = report;
        process.stdout.write(JSON.stringify({ ...rest, skipped: skipped.length }) + '\n');
      } else {
        process.stdout.write(formatReport(report));
      }
    });
}

function formatReport(r: BacktestReport): string {
  const lines = [
    `${r.events} events in ${r.files} files (${r.skipped.length} skipped) in ${r.seconds.toFixed(1)} s`,
    '',
    `${'filter'.padEnd(34)} ${'matches'.padStart(9)} ${'alarms'.padStart(7)}  top identity`,
  ];
  for (const f of r.filters) {
    const who = f.top.identities[0];
    lines.push(`${f.name.padEnd(34)} ${String(f.matches).padStart(9)} ${String(f.alarms).padStart(7)}  ${who ? `${who.value} (${who.count})` : '-'}`);
  }
  return lines.join('\n') + '\n';
}
