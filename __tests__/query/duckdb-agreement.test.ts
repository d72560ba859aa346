/**
 * The Athena table's partition layout and the named queries' SQL, checked in DuckDB: an archive laid
 * out with the organization trail's real key structure is read into a table whose partition columns
 * come from the keys through the table's own storage.location.template; each detection's period
 * query, with the window's partition predicates, gives exactly the local backtest's report (matches,
 * alarm periods and notifications replayed over the same periods, top identities, IPs and events)
 * on the same events.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { backtestFilters, sqlDetections } from '../../lib/backtest/filters';
import { filterReport, type BacktestReport } from '../../lib/backtest/run-backtest';
import { periodQuery, queryParameters } from '../../lib/query/sql';
import { tallyOfRows, type PeriodRow } from '../../lib/backtest/athena-tally';
import { CONFIG, LATE_EVENT, orgArchive, runInDuckDb, SINCE, UNTIL, type Placed } from '../support/org-archive';
import { planDetections } from '../../lib/monitoring/plan';

let local: BacktestReport;
let conn: DuckDBConnection;
let placed: readonly Placed[];

beforeAll(async () => {
  ({ local, conn, placed } = await orgArchive());
}, 120_000);

async function runPeriodQuery(sql: string, params: readonly string[]): Promise<PeriodRow[]> {
  return (await runInDuckDb(conn, sql, params)) as unknown as PeriodRow[];
}

describe('the period queries over the partitioned table agree with the local backtest', () => {
  test('the archive spans more than the window and some alarms fire', () => {
    expect(placed.length).toBeGreaterThan(local.filters.reduce((n, f) => n + f.matches, 0));
    expect(local.filters.some((f) => f.alarms > 0)).toBe(true);
    expect(local.filters.filter((f) => f.matches > 0).length).toBeGreaterThan(5);
  });

  const detections = sqlDetections(planDetections((CONFIG).monitoring));
  test.each(detections.map((d) => [d.id, d] as const))('%s', async (_id, d) => {
    if ('skipped' in d) throw new Error(`${d.id} skipped: ${d.skipped}`);
    const i = local.filters.findIndex((f) => f.name === d.id);
    const filter = backtestFilters(planDetections((CONFIG).monitoring))[i];
    const sql = periodQuery(d.condition, { table: 'cloudtrail_logs', period: d.alarm.period });
    const got = filterReport(filter, tallyOfRows(await runPeriodQuery(sql, queryParameters(SINCE, UNTIL))), local.days);
    expect(got).toEqual(local.filters[i]);
  });

  test('partition predicates: the last partition day is the day after the window\'s last day, and days outside them are not read', async () => {
    expect(queryParameters(SINCE, UNTIL).slice(0, 2)).toEqual(["'2026/11/02'", "'2026/11/05'"]);
    expect(queryParameters(SINCE, new Date('2026-11-04T23:50:00Z'))[1]).toBe("'2026/11/05'");
    // The detection the late-delivered record fires.
    const lateId = LATE_EVENT.fires[0];
    const d = detections.find((x) => x.id === lateId)!;
    if ('skipped' in d) throw new Error(`${d.id} skipped`);
    const sql = periodQuery(d.condition, { period: d.alarm.period });
    // Only the partitions the predicates name: deleting every other day's rows changes nothing.
    const before = await runPeriodQuery(sql, queryParameters(SINCE, UNTIL));
    await conn.run(`CREATE TABLE kept AS SELECT * FROM cloudtrail_logs`);
    await conn.run(`DELETE FROM cloudtrail_logs WHERE "timestamp" < '2026/11/02' OR "timestamp" > '2026/11/05'`);
    expect(await runPeriodQuery(sql, queryParameters(SINCE, UNTIL))).toEqual(before);
    // Without the late-delivery day the window loses the event filed on 11/05 for 11/04 23:59.
    const short = await runPeriodQuery(sql.replace('"timestamp" BETWEEN ? AND ?', `"timestamp" BETWEEN ? AND ? AND "timestamp" < '2026/11/05'`), queryParameters(SINCE, UNTIL));
    expect(tallyOfRows(short).matches).toBe(tallyOfRows(before).matches - 1);
    await conn.run(`DROP TABLE cloudtrail_logs; ALTER TABLE kept RENAME TO cloudtrail_logs`);
  });
});
