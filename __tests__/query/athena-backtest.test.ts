/**
 * `backtest --engine athena`'s SDK flow against a fake AthenaClient that answers the real SDK
 * commands: it runs the SQL it is given in DuckDB over the organization archive (so the answers are
 * what Athena would compute on that table), reports RUNNING before SUCCEEDED, pages the results a
 * few rows at a time, throttles the first starts, and can fail, hit the scan cutoff or be stopped.
 */
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { DuckDBConnection } from '@duckdb/node-api';
import { backtestFilters, sqlDetections } from '../../lib/backtest/filters';
import type { BacktestReport } from '../../lib/backtest/run-backtest';
import { athenaCost, runAthenaBacktest, type AthenaBacktestOptions } from '../../lib/backtest/athena';
import { CONFIG, orgArchive, runInDuckDb, SINCE, UNTIL } from '../support/org-archive';
import { planDetections } from '../../lib/monitoring/plan';

let local: BacktestReport;
let conn: DuckDBConnection;

beforeAll(async () => {
  ({ local, conn } = await orgArchive());
}, 120_000);

interface FakeOptions {
  /** Start calls answered TooManyRequestsException first. */
  throttleStarts?: number;
  /** A query whose SQL contains this fails (FAILED). */
  failOn?: string;
  /** A query whose SQL contains this is cancelled by the scan cutoff. */
  cutoffOn?: string;
  /** Polls answered RUNNING before the final state. */
  runningPolls?: number;
  pageSize?: number;
}

class FakeAthena {
  readonly calls: string[] = [];
  readonly stopped: string[] = [];
  running = 0;
  maxRunning = 0;
  pages = 0;
  private n = 0;
  private duck: Promise<Record<string, unknown>[]> = Promise.resolve([]);
  private readonly queries = new Map<string, { sql: string; params: string[]; polls: number; rows?: Record<string, unknown>[]; stopped?: boolean }>();
  constructor(private readonly o: FakeOptions = {}) {}

  async send(command: unknown): Promise<any> {
    await new Promise((r) => setImmediate(r));
    if (command instanceof StartQueryExecutionCommand) {
      this.calls.push('start');
      if ((this.o.throttleStarts ?? 0) > 0) {
        this.o.throttleStarts!--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      }
      const i = command.input;
      expect(i.WorkGroup).toBe('trailwatch');
      expect(i.QueryExecutionContext?.Database).toBe('trailwatch');
      const id = `q-${++this.n}`;
      this.queries.set(id, { sql: i.QueryString!, params: i.ExecutionParameters!, polls: 0 });
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      return { QueryExecutionId: id };
    }
    if (command instanceof GetQueryExecutionCommand) {
      const q = this.queries.get(command.input.QueryExecutionId!)!;
      const done = (State: string, extra: Record<string, unknown> = {}) => {
        if (q.polls !== -1) this.running--;
        q.polls = -1;
        return { QueryExecution: { QueryExecutionId: command.input.QueryExecutionId, Status: { State, ...extra }, Statistics: { DataScannedInBytes: 123_456_789 } } };
      };
      if (q.stopped) return done('CANCELLED', { StateChangeReason: 'Query cancelled by user' });
      if (q.polls !== -1 && q.polls++ < (this.o.runningPolls ?? 2)) return { QueryExecution: { Status: { State: 'RUNNING' } } };
      if (this.o.failOn && q.sql.includes(this.o.failOn)) return done('FAILED', { StateChangeReason: 'HIVE_CURSOR_ERROR: Row is not a valid JSON Object' });
      if (this.o.cutoffOn && q.sql.includes(this.o.cutoffOn)) return done('CANCELLED', { StateChangeReason: 'Query cancelled! : Bytes scanned limit was exceeded' });
      // One DuckDB statement at a time on the connection.
      q.rows ??= await (this.duck = this.duck.then(() => runInDuckDb(conn, q.sql, q.params)));
      return done('SUCCEEDED');
    }
    if (command instanceof GetQueryResultsCommand) {
      const q = this.queries.get(command.input.QueryExecutionId!)!;
      const size = this.o.pageSize ?? 3;
      const columns = ['period', 'identity', 'source_ip', 'event_name', 'matches'];
      // Athena's first row repeats the header; every value is text.
      const all = [columns, ...q.rows!.map((r) => columns.map((c) => String(r[c])))];
      const from = command.input.NextToken ? Number(command.input.NextToken) : 0;
      const page = all.slice(from, from + size);
      this.pages++;
      return {
        ResultSet: { ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name })) }, Rows: page.map((vs) => ({ Data: vs.map((v) => ({ VarCharValue: v })) })) },
        NextToken: from + size < all.length ? String(from + size) : undefined,
      };
    }
    if (command instanceof StopQueryExecutionCommand) {
      this.stopped.push(command.input.QueryExecutionId!);
      const q = this.queries.get(command.input.QueryExecutionId!);
      if (q) q.stopped = true;
      return {};
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  }
}

const OPTIONS: AthenaBacktestOptions = { since: SINCE, until: UNTIL, workgroup: 'trailwatch', database: 'trailwatch', table: 'cloudtrail_logs', pollMs: 1, sleep: () => new Promise((r) => setImmediate(r)) };

describe('backtest on Athena', () => {
  test('the report equals the local backtest of the same events; bytes and cost per query; pages followed; throttled starts retried; concurrency bounded', async () => {
    const fake = new FakeAthena({ throttleStarts: 2 });
    const progress: number[] = [];
    const r = await runAthenaBacktest(fake, sqlDetections(planDetections((CONFIG).monitoring)), backtestFilters(planDetections((CONFIG).monitoring)), { ...OPTIONS, concurrency: 3, onQuery: (done) => progress.push(done) });
    expect(r.filters.map((f) => ({ ...f, alarmsPerDay: undefined }))).toEqual(local.filters.map((f) => ({ ...f, alarmsPerDay: undefined })));
    expect(r.filters.some((f) => f.alarms > 0)).toBe(true);
    expect(r.queries).toHaveLength(local.filters.length);
    for (const q of r.queries) expect(q).toMatchObject({ bytesScanned: 123_456_789, costUsd: athenaCost(123_456_789) });
    expect(r.bytesScanned).toBe(123_456_789 * local.filters.length);
    expect(fake.pages).toBeGreaterThan(local.filters.length);
    expect(fake.calls.filter((c) => c === 'start')).toHaveLength(local.filters.length + 2);
    expect(fake.maxRunning).toBeLessThanOrEqual(3);
    expect(progress).toEqual(local.filters.map((_f, i) => i + 1));
  });

  test('a failed query fails the run with the detection and Athena\'s reason, and stops the others', async () => {
    const fake = new FakeAthena({ failOn: "eventname = 'ConsoleLogin'", runningPolls: 4 });
    await expect(runAthenaBacktest(fake, sqlDetections(planDetections((CONFIG).monitoring)), backtestFilters(planDetections((CONFIG).monitoring)), { ...OPTIONS, concurrency: 4 })).rejects.toThrow(
      /^console-signin-without-mfa: query q-\d+ failed: HIVE_CURSOR_ERROR/,
    );
    expect(fake.stopped.length).toBeGreaterThan(0);
  });

  test('the scan cutoff reached names the setting to change', async () => {
    const fake = new FakeAthena({ cutoffOn: 'root-account-usage' });
    await expect(runAthenaBacktest(fake, sqlDetections(planDetections((CONFIG).monitoring)), backtestFilters(planDetections((CONFIG).monitoring)), { ...OPTIONS, concurrency: 1 })).rejects.toThrow(
      /root-account-usage: Athena cancelled query q-\d+ at the workgroup's bytes-scanned cutoff .*bytesScannedCutoffPerQuery/,
    );
  });

  test('Ctrl-C (the signal aborted) stops every running query and fails as cancelled', async () => {
    const fake = new FakeAthena({ runningPolls: 1_000_000 });
    const abort = new AbortController();
    const run = runAthenaBacktest(fake, sqlDetections(planDetections((CONFIG).monitoring)), backtestFilters(planDetections((CONFIG).monitoring)), { ...OPTIONS, concurrency: 3, signal: abort.signal });
    while (fake.running < 3) await new Promise((r) => setImmediate(r));
    abort.abort();
    await expect(run).rejects.toThrow(/^cancelled/);
    expect(fake.stopped.sort()).toEqual(['q-1', 'q-2', 'q-3']);
    expect(fake.calls.filter((c) => c === 'start')).toHaveLength(3);
  });

  test('cost: $5 per TB, rounded up to the megabyte, 10 MB at least', () => {
    expect(athenaCost(0)).toBeCloseTo((10 * 2 ** 20 * 5) / 2 ** 40, 12);
    expect(athenaCost(2 ** 40)).toBe(5);
    expect(athenaCost(2 ** 40 + 1)).toBeCloseTo(5 + (2 ** 20 * 5) / 2 ** 40, 12);
  });
});
