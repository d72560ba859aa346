/**
 * `trailwatch backtest --engine athena`: each enabled detection's period query (sql.ts) runs on
 * Athena over the window, a few at a time; the rows become the same tallies the local backtest
 * builds (tally.ts), so matches, the alarm replay and the top lists are the local report's own code
 * (run-backtest.ts filterReport). Adds what Athena charges: bytes scanned and cost per query.
 *
 * The client is anything with the AWS SDK v3 `send` (an AthenaClient; a fake in tests). Start is
 * retried with exponential backoff and jitter when Athena throttles (TooManyRequestsException,
 * ThrottlingException) or the account's concurrent-query quota is reached; polling backs off from
 * `pollMs` to 5 s. An aborted signal (Ctrl-C) stops every running query (StopQueryExecution) before
 * the run fails. A failed query fails the run, naming the detection and Athena's reason; a query
 * cancelled by the workgroup's bytes-scanned cutoff says so.
 */
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { filterReport, type BacktestFilter, type BacktestReport } from './run-backtest';
import type { SqlDetection } from './filters';
import { periodQuery, queryParameters } from '../query/sql';
import { tallyOfRows, type PeriodRow } from './athena-tally';

/** What the runner needs of an AthenaClient. */
export interface AthenaSender {
  send(command: unknown): Promise<any>;
}

export interface AthenaBacktestOptions {
  readonly since: Date;
  readonly until: Date;
  readonly workgroup: string;
  readonly database: string;
  readonly table: string;
  /** Queries running at once. @default 5 (Athena's default quota of active DML queries is 20 or more per account and region) */
  readonly concurrency?: number;
  /** First poll interval (ms); doubles up to 5 s. @default 500 */
  readonly pollMs?: number;
  /** Start attempts when throttled. @default 8 */
  readonly maxStartAttempts?: number;
  readonly signal?: AbortSignal;
  /** After each query: done, total. */
  readonly onQuery?: (done: number, total: number, q: QueryCost) => void;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface QueryCost {
  readonly detection: string;
  readonly queryExecutionId: string;
  readonly bytesScanned: number;
  readonly costUsd: number;
  readonly seconds: number;
}

export interface AthenaBacktestReport extends BacktestReport {
  readonly engine: 'athena';
  readonly queries: readonly QueryCost[];
  readonly bytesScanned: number;
  readonly costUsd: number;
  /** Detections not run (custom and pattern-override detections have no SQL form). */
  readonly notRun: readonly { detection: string; reason: string }[];
}

/** Athena's price: $5 per TB scanned, rounded up to the megabyte, at least 10 MB per query (https://aws.amazon.com/athena/pricing/). */
export const USD_PER_TB = 5;
const MB = 1024 * 1024;
const TB = 1024 ** 4;

export function athenaCost(bytes: number): number {
  const billed = Math.max(10 * MB, Math.ceil(bytes / MB) * MB);
  return (billed / TB) * USD_PER_TB;
}

export class AthenaQueryError extends Error {}

export async function runAthenaBacktest(
  client: AthenaSender,
  detections: readonly SqlDetection[],
  filters: readonly BacktestFilter[],
  options: AthenaBacktestOptions,
): Promise<AthenaBacktestReport> {
  const started = Date.now();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const params = queryParameters(options.since, options.until);
  // A per-key detection alarms on its largest contributor; the period queries count all callers
  // together, so it is not run here rather than replayed wrongly (the local backtest replays it).
  const PER_KEY = 'a per-key detection (alarm.per) is not replayed on Athena yet: its period query counts every caller together; the local backtest and --emit-sql group by the key';
  const runnable = detections.filter((d): d is Extract<SqlDetection, { condition: unknown }> => !('skipped' in d) && d.perKey === undefined);
  const running = new Set<string>();
  const costs: QueryCost[] = [];
  const tallies = new Map<string, ReturnType<typeof tallyOfRows>>();
  let failure: Error | undefined;

  const aborted = () => options.signal?.aborted === true;
  const stopped = new Set<string>();
  const stopAll = async () => {
    const ids = [...running].filter((id) => !stopped.has(id));
    for (const id of ids) stopped.add(id);
    await Promise.all(ids.map((id) => client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined)));
  };
  const onAbort = () => void stopAll();
  options.signal?.addEventListener('abort', onAbort);

  const runOne = async (d: (typeof runnable)[number]): Promise<void> => {
    const t0 = Date.now();
    const sql = periodQuery(d.condition, { table: options.table, period: d.alarm.period, title: `${d.id}: ${d.title}` });
    const id = await start(client, sql, params, options, sleep);
    running.add(id);
    // Started while Ctrl-C was being handled: stop it too.
    if (aborted()) await stopAll();
    try {
      const execution = await poll(client, id, options, sleep);
      const bytes = execution.Statistics?.DataScannedInBytes ?? 0;
      const state = execution.Status?.State;
      if (state !== 'SUCCEEDED') {
        const reason = execution.Status?.StateChangeReason ?? execution.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
        if (aborted()) throw new AthenaQueryError('cancelled');
        if (/bytes scanned limit/i.test(reason)) {
          throw new AthenaQueryError(`${d.id}: Athena cancelled query ${id} at the workgroup's bytes-scanned cutoff (${bytes} bytes scanned): shorten the window (--since/--until) or raise trail.archive.query.bytesScannedCutoffPerQuery`);
        }
        throw new AthenaQueryError(`${d.id}: query ${id} ${state === 'CANCELLED' ? 'was cancelled' : 'failed'}: ${reason}`);
      }
      tallies.set(d.id, tallyOfRows(await results(client, id)));
      const cost = { detection: d.id, queryExecutionId: id, bytesScanned: bytes, costUsd: athenaCost(bytes), seconds: (Date.now() - t0) / 1000 };
      costs.push(cost);
      options.onQuery?.(costs.length, runnable.length, cost);
    } finally {
      running.delete(id);
    }
  };

  // A pool of `concurrency` lanes; the first failure stops the others' queries.
  const queue = [...runnable];
  const lane = async () => {
    for (let d = queue.shift(); d && !failure && !aborted(); d = queue.shift()) {
      try {
        await runOne(d);
      } catch (e) {
        failure ??= e as Error;
        await stopAll();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 5, runnable.length)) }, lane));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (aborted()) throw new AthenaQueryError(`cancelled: stopped ${costs.length < runnable.length ? 'the running queries' : 'nothing'}; ${costs.length} of ${runnable.length} queries had finished`);
  if (failure) throw failure;

  const days = Math.max(1, Math.ceil((options.until.getTime() - options.since.getTime()) / 86_400_000));
  const byName = new Map(filters.map((f) => [f.name, f]));
  const bytesScanned = costs.reduce((n, c) => n + c.bytesScanned, 0);
  return {
    engine: 'athena',
    events: 0,
    files: 0,
    seconds: (Date.now() - started) / 1000,
    skipped: [],
    // Athena reads the archive itself: no local file or record is unread, untimed or left out here.
    unreadableRecords: [],
    untimed: 0,
    beforeSince: 0,
    days,
    filters: runnable.map((d) => filterReport(byName.get(d.id)!, tallies.get(d.id)!, days)),
    queries: runnable.map((d) => costs.find((c) => c.detection === d.id)!),
    bytesScanned,
    costUsd: costs.reduce((n, c) => n + c.costUsd, 0),
    notRun: detections.flatMap((d) => ('skipped' in d ? [{ detection: d.id, reason: d.skipped }] : d.perKey !== undefined ? [{ detection: d.id, reason: PER_KEY }] : [])),
  };
}

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException']);

async function start(client: AthenaSender, sql: string, params: readonly string[], o: AthenaBacktestOptions, sleep: (ms: number) => Promise<void>): Promise<string> {
  const attempts = o.maxStartAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await client.send(
        new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: o.workgroup, QueryExecutionContext: { Database: o.database }, ExecutionParameters: [...params] }),
      );
      if (!out.QueryExecutionId) throw new AthenaQueryError('StartQueryExecution returned no QueryExecutionId');
      return out.QueryExecutionId as string;
    } catch (e) {
      const name = (e as { name?: string }).name ?? '';
      if (!THROTTLED.has(name) || attempt >= attempts || o.signal?.aborted) throw e;
      // Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... at most 20 s.
      await sleep(Math.random() * Math.min(20_000, 500 * 2 ** (attempt - 1)));
    }
  }
}

async function poll(client: AthenaSender, id: string, o: AthenaBacktestOptions, sleep: (ms: number) => Promise<void>): Promise<QueryExecution> {
  let wait = o.pollMs ?? 500;
  for (;;) {
    const out = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const execution = out.QueryExecution as QueryExecution;
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') return execution;
    await sleep(wait);
    wait = Math.min(5_000, wait * 2);
  }
}

/** Every row of a query's results, header row dropped, keyed by column name. */
async function results(client: AthenaSender, id: string): Promise<PeriodRow[]> {
  const rows: PeriodRow[] = [];
  let header: string[] | undefined;
  let token: string | undefined;
  do {
    const out = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
    header ??= (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c: { Name: string }) => c.Name);
    const page = (out.ResultSet?.Rows ?? []) as { Data?: { VarCharValue?: string }[] }[];
    // The first row of the first page repeats the column names.
    for (const [i, r] of page.entries()) {
      if (token === undefined && i === 0) continue;
      const values = (r.Data ?? []).map((d) => d.VarCharValue);
      rows.push(Object.fromEntries(header!.map((h, j) => [h, values[j]])) as unknown as PeriodRow);
    }
    token = out.NextToken;
  } while (token);
  return rows;
}
