import { Option, type Command } from 'commander';
import type { ArchiveListing } from '../backtest/archive';
import type { ExpectationResult } from '../backtest/expect';
import type { BacktestReport } from '../backtest/run-backtest';
import { UserError } from '../core/errors';
import type { JUnitSuite } from '../report/junit';
import { configOption, flagRules, isoInstant, listed, loadConfigForCli, wholeNumber, writeReport } from './options';

/** `backtest --json`: the report, its skipped files and how many were allowed. */
export interface BacktestJson extends Omit<BacktestReport, 'skipped'> {
  /** How many files were skipped (corrupt, truncated, unreadable). */
  readonly skipped: number;
  /** Each skipped file and why. */
  readonly skippedFiles: BacktestReport['skipped'];
  /** --max-skipped: how many skipped files and unreadable records still exit 0. */
  readonly maxSkipped: number;
  /** --expect: each bound with the count it met or missed. */
  readonly expectations?: readonly ExpectationResult[];
  /** Why the run exits non-zero (empty when it exits 0). */
  readonly failures: readonly string[];
}

interface BacktestOptions {
  config?: string;
  since?: string;
  json?: boolean;
  workers?: number;
  maxSkipped?: number;
  allowEmpty?: boolean;
  failOnAlarm?: boolean;
  expect?: string;
  junit?: string;
  emitSql?: 'athena' | 'cloudtrail-lake';
  table?: string;
  engine?: 'local' | 'athena';
  until?: string;
  workgroup?: string;
}

/** Athena: [catalog.][database.]table, each a letter or _ then letters, digits and _. */
const ATHENA_TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,254}(\.[A-Za-z_][A-Za-z0-9_]{0,254}){0,2}$/;
/** CloudTrail Lake: the event data store id (the last part of its ARN). */
const LAKE_EVENT_DATA_STORE = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

export function register(program: Command): void {
  const command = program
    .command('backtest')
    .description('replay CloudTrail archives (S3 delivery folders, .json.gz/.json/.jsonl files, LookupEvents and CloudWatch Logs exports) through the enabled filters and alarms')
    .argument('[paths...]', 'archive files or folders (e.g. a synced s3://bucket/AWSLogs/)')
    .addOption(configOption())
    .option('--since <date>', 'ignore events before this ISO 8601 date (2026-10-01, UTC) or date-time with a zone (2026-10-01T08:00:00Z)', isoInstant)
    .option('--json', 'print the report as JSON on stdout')
    .option('--workers <n>', 'worker threads (0: evaluate in the main thread; default: one per idle core, at most 4)', wholeNumber(0, 64))
    .option('--max-skipped <n>', 'how many unreadable files and records (corrupt, truncated, a broken CloudTrailEvent) to allow before exiting non-zero (default: 0)', wholeNumber(0))
    .option('--allow-empty', 'exit 0 when no event was read (no files, all before --since, empty files); by default that fails')
    .option('--fail-on-alarm', 'exit 1 when any detection would have sent an alarm notification')
    .option('--expect <file>', 'YAML/JSON file of per-detection bounds (detections: {ID: {matches: {min, max}, alarms: {min, max}}}); exit 1 when one is not met')
    .option('--junit <file>', 'also write a JUnit XML report: one test case per detection and per expectation')
    .addOption(new Option('--emit-sql <engine>', 'print one SQL query per enabled control instead of reading files').choices(['athena', 'cloudtrail-lake']))
    .option('--table <name>', 'with --emit-sql: the table ([database.]table, Athena) or event data store id (CloudTrail Lake) to query')
    .addOption(new Option('--engine <engine>', 'local: replay the archive files given; athena: run the detections on Athena over the table trail.archive.query deploys').choices(['local', 'athena']))
    .option('--until <date>', 'with --engine athena: ignore events at or after this ISO 8601 date or date-time (default: now)', isoInstant)
    .option('--workgroup <name>', 'with --engine athena: the Athena workgroup (default: trail.archive.query.workgroup)');
  flagRules(command, [
    { flag: 'until', requires: 'engine', because: '--until bounds the window of an Athena run (--engine athena)' },
    { flag: 'workgroup', requires: 'engine', because: '--workgroup names the Athena workgroup of an Athena run (--engine athena)' },
    {
      flag: 'emit-sql',
      conflicts: ['paths', 'json', 'workers', 'max-skipped', 'allow-empty', 'fail-on-alarm', 'expect', 'junit'],
      because: '--emit-sql prints queries to run where the logs are and reads no files',
    },
    { flag: 'table', requires: 'emit-sql', because: '--table names the table the --emit-sql queries read; without --emit-sql, backtest reads archive files and has no table' },
  ]);
  command.action(async (paths: string[], opts: BacktestOptions) => {
    if (opts.engine === 'athena') {
      // Depends on the flag's value, so not a flagRules declaration: Athena reads no local files.
      const local = [
        paths.length > 0 && paths.join(' '),
        opts.emitSql && '--emit-sql',
        opts.table !== undefined && '--table',
        opts.workers !== undefined && '--workers',
        opts.maxSkipped !== undefined && '--max-skipped',
        opts.allowEmpty && '--allow-empty',
        opts.failOnAlarm && '--fail-on-alarm',
        opts.expect !== undefined && '--expect',
        opts.junit !== undefined && '--junit',
      ].filter(Boolean);
      if (local.length > 0) throw new UserError(`--engine athena queries the archive where it is and reads no local files; drop ${local.join(', ')}`);
      const { backtestOnAthena } = require('./backtest-athena') as typeof import('./backtest-athena');
      return backtestOnAthena(loadConfigForCli(opts.config).plan, opts);
    }
    if (opts.until !== undefined || opts.workgroup !== undefined) {
      throw new UserError(`${opts.until !== undefined ? '--until' : '--workgroup'} is used with --engine athena; add --engine athena, or drop it`);
    }
    if (opts.emitSql && opts.table !== undefined) {
      const [pattern, what] = opts.emitSql === 'athena' ? [ATHENA_TABLE, 'an Athena table name ([database.]table: letters, digits and _, not starting with a digit)'] : [LAKE_EVENT_DATA_STORE, 'a CloudTrail Lake event data store id (letters, digits and -)'];
      if (!pattern.test(opts.table)) throw new UserError(`--table: expected ${what}, got ${JSON.stringify(opts.table)}`);
    }
    const { plan } = loadConfigForCli(opts.config);
    // The engine is loaded by the command that uses it, not at start-up.
    const { backtestFilters, backtestSql } = require('../backtest/filters') as typeof import('../backtest/filters');
    if (opts.emitSql) {
      process.stdout.write(backtestSql(plan.detections, opts.emitSql, { table: opts.table, since: opts.since }));
      return;
    }
    if (paths.length === 0) throw new UserError('backtest: give at least one archive file or folder (or --emit-sql athena|cloudtrail-lake)');
    const filters = backtestFilters(plan.detections);
    const { loadExpectations, checkExpectations } = require('../backtest/expect') as typeof import('../backtest/expect');
    // Checked before any archive is read: a typo in the gate must not cost a long run.
    const expectations = opts.expect !== undefined ? loadExpectations(opts.expect, filters.map((f) => f.name)) : undefined;
    const { listArchive } = require('../backtest/archive') as typeof import('../backtest/archive');
    const { runBacktest } = require('../backtest/run-backtest') as typeof import('../backtest/run-backtest');
    let listing: ArchiveListing;
    try {
      listing = listArchive(paths, opts.since ? new Date(opts.since) : undefined);
    } catch (e) {
      throw new UserError(`backtest: cannot read ${(e as NodeJS.ErrnoException).path ?? paths.join(', ')}: ${(e as Error).message}`);
    }
    const { files } = listing;

    const { Presets, SingleBar } = require('cli-progress') as typeof import('cli-progress');
    const bar =
      process.stderr.isTTY && files.length > 0
        ? new SingleBar({ format: 'backtest [{bar}] {value}/{total} files | {events} events | {rate} events/s | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic)
        : undefined;
    const started = Date.now();
    bar?.start(files.length, 0, { events: 0, rate: 0 });
    const report = await runBacktest(files, filters, {
      workers: opts.workers,
      since: opts.since,
      onFile: (done, _total, events) => bar?.update(done, { events, rate: Math.round(events / Math.max(0.001, (Date.now() - started) / 1000)) }),
    });
    bar?.stop();
    const maxSkipped = opts.maxSkipped ?? 0;
    for (const s of report.skipped) process.stderr.write(`trailwatch: skipped ${s.file}: ${s.error}\n`);
    const SHOWN = 50;
    for (const u of report.unreadableRecords.slice(0, SHOWN)) process.stderr.write(`trailwatch: unreadable record in ${u.file} at ${u.position}: ${u.error}\n`);
    if (report.unreadableRecords.length > SHOWN) process.stderr.write(`trailwatch: ... and ${report.unreadableRecords.length - SHOWN} more unreadable records (all listed in --json)\n`);
    if (report.untimed > 0) {
      const [n, one] = [report.untimed, report.untimed === 1];
      process.stderr.write(
        `trailwatch: warning: ${n} event${one ? ' has' : 's have'} no usable eventTime: ${one ? 'it is' : 'they are'} counted in the matches, but no alarm period holds ${one ? 'it' : 'them'}, so ${one ? 'it' : 'they'} never alarm here (CloudTrail always writes eventTime: check the export)\n`,
      );
    }
    const expected = expectations ? checkExpectations(expectations, new Map(report.filters.map((f) => [f.name, f]))) : undefined;
    const failures = gateFailures(report, listing, paths, opts, expected);

    if (opts.json) {
      const { skipped, ...rest } = report;
      const json: BacktestJson = { ...rest, skipped: skipped.length, skippedFiles: skipped, maxSkipped, ...(expected ? { expectations: expected } : {}), failures };
      process.stdout.write(JSON.stringify(json) + '\n');
    } else {
      process.stdout.write(formatReport(report, expected));
    }
    if (opts.junit !== undefined) {
      const { renderJUnit } = require('../report/junit') as typeof import('../report/junit');
      writeReport('--junit', opts.junit, renderJUnit(junitOf(report, failures, opts, expected)));
    }
    if (failures.length > 0) {
      for (const f of failures.slice(0, -1)) process.stderr.write(`trailwatch: ${f}\n`);
      throw new UserError(failures[failures.length - 1]);
    }
  });
}

/** Why the run must exit non-zero, one sentence each (empty: exit 0). */
function gateFailures(r: BacktestReport, listing: ArchiveListing, paths: readonly string[], opts: BacktestOptions, expected: readonly ExpectationResult[] | undefined): string[] {
  const out: string[] = [];
  if (r.events === 0 && !opts.allowEmpty) {
    const under = paths.join(', ');
    const readable = r.files - r.skipped.length;
    const why =
      listing.files.length === 0 && listing.beforeSince === 0
        ? `there are no .json.gz, .json or .jsonl files under ${under}`
        : listing.files.length === 0
          ? `the ${listing.beforeSince} file${listing.beforeSince === 1 ? ' is' : 's are'} under ${under} from days before --since ${opts.since} (the newest from ${listing.newestDayBeforeSince})`
          : readable === 0
            ? 'no file could be read'
            : r.beforeSince > 0
              ? `all ${r.beforeSince} record${r.beforeSince === 1 ? ' is' : 's are'} from before --since ${opts.since}`
              : `the ${readable} file${readable === 1 ? ' holds' : 's hold'} no CloudTrail records`;
    out.push(`backtest: no events were read: ${why}; a backtest of nothing shows nothing. Check the paths${opts.since ? ' and --since' : ''}, or pass --allow-empty to accept an empty run`);
  }
  const maxSkipped = opts.maxSkipped ?? 0;
  const [files, records] = [r.skipped.length, r.unreadableRecords.length];
  if (files + records > maxSkipped) {
    const what = [
      ...(files > 0 ? [`${files} of ${r.files} files could not be read and were skipped`] : []),
      ...(records > 0 ? [`${records} record${records === 1 ? '' : 's'} in readable files could not be read`] : []),
    ];
    out.push(`backtest: ${what.join(' and ')} (--max-skipped ${maxSkipped}), so the report misses their events; fix or remove them, or accept that with --max-skipped ${files + records}`);
  }
  if (opts.failOnAlarm) {
    const alarmed = r.filters.filter((f) => f.alarms > 0);
    if (alarmed.length > 0) out.push(`backtest: --fail-on-alarm: ${listed(alarmed.map((f) => `${f.name} (${f.alarms} alarm${f.alarms === 1 ? '' : 's'})`))} would have alarmed`);
  }
  const missed = (expected ?? []).filter((e) => !e.ok);
  if (missed.length > 0) {
    out.push(`backtest: --expect ${opts.expect}: ${missed.length} of ${expected!.length} expectations not met: ${missed.map((e) => `${e.detection} ${e.label}, got ${e.actual}`).join('; ')}`);
  }
  return out;
}

/** One test case for reading the archive, one per detection, one per expectation. */
function junitOf(r: BacktestReport, failures: readonly string[], opts: BacktestOptions, expected: readonly ExpectationResult[] | undefined): JUnitSuite {
  const readFailures = failures.filter((f) => f.startsWith('backtest: no events') || f.includes('could not be read'));
  return {
    name: 'trailwatch backtest',
    seconds: r.seconds,
    cases: [
      {
        classname: 'backtest',
        name: 'read the archive',
        ...(readFailures.length > 0 ? { failure: { message: readFailures.join('; ') } } : {}),
        output: `${r.events} events in ${r.files} files (${r.skipped.length} skipped, ${r.unreadableRecords.length} unreadable records, ${r.untimed} without eventTime)`,
      },
      ...r.filters.map((f) => ({
        classname: 'backtest.detections',
        name: f.name,
        ...(opts.failOnAlarm && f.alarms > 0 ? { failure: { message: `--fail-on-alarm: ${f.alarms} alarm${f.alarms === 1 ? '' : 's'} (${f.matches} matches)` } } : {}),
        output: `${f.matches} matches, ${f.alarms} alarms`,
      })),
      ...(expected ?? []).map((e) => ({
        classname: 'backtest.expect',
        name: `${e.detection}: ${e.label}`,
        ...(e.ok ? {} : { failure: { message: `expected ${e.label}, got ${e.actual}` } }),
      })),
    ],
  };
}

function formatReport(r: BacktestReport, expected: readonly ExpectationResult[] | undefined): string {
  const extra = [
    ...(r.unreadableRecords.length > 0 ? [`${r.unreadableRecords.length} unreadable records`] : []),
    ...(r.untimed > 0 ? [`${r.untimed} without eventTime`] : []),
    ...(r.beforeSince > 0 ? [`${r.beforeSince} before --since`] : []),
  ];
  const lines = [
    `${r.events} events in ${r.files} files (${r.skipped.length} skipped${extra.map((x) => `, ${x}`).join('')}) in ${r.seconds.toFixed(1)} s, spanning ${r.days} day${r.days === 1 ? '' : 's'}`,
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
  if (expected && expected.length > 0) {
    lines.push('', 'expectations:');
    for (const e of expected) lines.push(`  ${e.ok ? 'ok  ' : 'FAIL'} ${e.detection}: ${e.label} (got ${e.actual})`);
  }
  return lines.join('\n') + '\n';
}
