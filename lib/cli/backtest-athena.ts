/**
 * `trailwatch backtest --engine athena --since D [--until D] [--workgroup W]`: the enabled
 * detections' period queries on Athena over the table `trail.archive.query` deploys
 * (lib/query/athena-backtest.ts), with a progress bar, Ctrl-C stopping the running queries, and the
 * local backtest's report plus bytes scanned and cost per query.
 */
import type { Plan } from '../plan/plan';
import { UserError } from '../core/errors';

export interface AthenaCliOptions {
  readonly since?: string;
  readonly until?: string;
  readonly workgroup?: string;
  readonly json?: boolean;
}

export async function backtestOnAthena(planned: Plan, opts: AthenaCliOptions): Promise<void> {
  const plan = planned.query;
  if (!plan) {
    throw new UserError('backtest --engine athena queries the table trail.archive.query deploys; add `trail.archive.query: {engine: athena}` to the config and deploy it, or print the SQL with --emit-sql athena');
  }
  if (opts.since === undefined) throw new UserError('backtest --engine athena needs --since <date>: Athena bills every byte a query scans, so the window is never open-ended');
  const since = new Date(opts.since);
  const until = opts.until !== undefined ? new Date(opts.until) : new Date();
  if (!(since.getTime() < until.getTime())) throw new UserError(`--since ${opts.since} must come before --until ${opts.until ?? '(now)'}`);

  // The SDK warns on Node 20 that versions published after January 2027 need Node 22; trailwatch
  // pins its version (package.json), which runs on Node 20, so the warning is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { AthenaClient } = require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');
  const { runAthenaBacktest, AthenaQueryError } = require('../backtest/athena') as typeof import('../backtest/athena');
  const { backtestFilters, sqlDetections } = require('../backtest/filters') as typeof import('../backtest/filters');
  const detections = sqlDetections(planned.detections);
  const { Presets, SingleBar } = require('cli-progress') as typeof import('cli-progress');
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'athena [{bar}] {value}/{total} queries | {gb} GB scanned | ${cost}', stream: process.stderr }, Presets.shades_classic)
    : undefined;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let scanned = 0;
  let cost = 0;
  bar?.start(detections.filter((d) => !('skipped' in d)).length, 0, { gb: '0.00', cost: '0.0000' });
  const client = new AthenaClient({ region: plan.region });
  try {
    const report = await runAthenaBacktest(client, detections, backtestFilters(planned.detections), {
      since,
      until,
      workgroup: opts.workgroup ?? plan.workgroup,
      database: plan.database,
      table: plan.table,
      signal: abort.signal,
      onQuery: (done, _total, q) => {
        scanned += q.bytesScanned;
        cost += q.costUsd;
        bar?.update(done, { gb: (scanned / 1e9).toFixed(2), cost: cost.toFixed(4) });
      },
    });
    bar?.stop();
    for (const n of report.notRun) process.stderr.write(`trailwatch: not run on Athena: ${n.detection}: ${n.reason}\n`);
    process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatAthenaReport(report));
  } catch (e) {
    bar?.stop();
    if (e instanceof AthenaQueryError) throw new UserError(`backtest --engine athena: ${e.message}`, abort.signal.aborted ? 130 : 1);
    // A defect keeps its stack; anything else (credentials, permissions, a missing workgroup, the
    // network) is AWS's or the system's own words on one line.
    if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) throw e;
    const err = e as { name?: string; message?: string };
    const what = err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
    throw new UserError(`backtest --engine athena: ${what} (run it as ${plan.roleArn} in ${plan.region})`);
  } finally {
    process.removeListener('SIGINT', onSigint);
    client.destroy();
  }
}

export function formatAthenaReport(r: import('../backtest/athena').AthenaBacktestReport): string {
  const lines = [
    `Athena: ${r.queries.length} queries over ${r.days} day${r.days === 1 ? '' : 's'} in ${r.seconds.toFixed(1)} s, ${(r.bytesScanned / 1e9).toFixed(2)} GB scanned, $${r.costUsd.toFixed(4)}`,
    '',
    `${'detection'.padEnd(36)} ${'matches'.padStart(9)} ${'alarms'.padStart(7)} ${'per day'.padStart(8)} ${'scanned GB'.padStart(11)} ${'cost $'.padStart(9)}  top identity`,
  ];
  r.filters.forEach((f, i) => {
    const q = r.queries[i];
    const who = f.top.identities[0];
    lines.push(
      `${f.name.padEnd(36)} ${String(f.matches).padStart(9)} ${String(f.alarms).padStart(7)} ${f.alarmsPerDay.toFixed(2).padStart(8)} ${(q.bytesScanned / 1e9).toFixed(2).padStart(11)} ${q.costUsd.toFixed(4).padStart(9)}  ${who ? `${who.value} (${who.count})` : '-'}`,
    );
  });
  return lines.join('\n') + '\n';
}
