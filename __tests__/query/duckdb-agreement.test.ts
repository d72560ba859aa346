/**
 * The Athena table's partition layout and the named queries' SQL, checked in DuckDB: an archive laid
 * out with the organization trail's real key structure is read into a table whose partition columns
 * come from the keys through the table's own storage.location.template; each detection's period
 * query, with the window's partition predicates, gives exactly the local backtest's report (matches,
 * alarm periods and notifications replayed over the same periods, top identities, IPs and events)
 * on the same events.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { backtestFilters, sqlDetections } from '../../lib/backtest/filters';
import { filterReport, runBacktest, type BacktestReport } from '../../lib/backtest/run-backtest';
import { parseConfigText } from '../../lib/config/load';
import { planOrganization } from '../../lib/plan/account-plan';
import { planQuery, tableLocation } from '../../lib/query/plan';
import { periodQuery, queryParameters } from '../../lib/query/sql';
import { PARTITION_KEYS } from '../../lib/query/table';
import { tallyOfRows, type PeriodRow } from '../../lib/query/tally';
import { seededRandom } from '../../scripts/seeded-random';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { partitionedAthenaTable } from '../support/athena-table';
import { MINIMAL_YAML } from '../support/configs';

const CONFIG = parseConfigText(
  MINIMAL_YAML.replace('accounts:\n', '  securityAccount: { id: "333333333333", name: security }\naccounts:\n') + 'trail:\n  archive:\n    query: { engine: athena, firstDay: "2026-10-01" }\n',
  'test.yaml',
);
const PLAN = planQuery(planOrganization(CONFIG))!;
const SINCE = new Date('2026-11-02T00:00:00Z');
const UNTIL = new Date('2026-11-05T00:00:00Z');
const ACCOUNTS = ['111111111111', '444444444444', '555555555555'];
// ap-south-1 is governed by no account: the multi-region trail writes it all the same.
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];

interface Placed { record: Record<string, unknown>; key: string }

/** Records over 2026-11-01 .. 11-05 in bursts (so alarms fire), each filed under its delivery day. */
function archiveRecords(): Placed[] {
  const random = seededRandom(22);
  const out: Placed[] = [];
  let n = 0;
  const place = (e: (typeof LABELLED_EVENTS)[number], eventMs: number, delayMs: number, account: string, region: string) => {
    const time = new Date(eventMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const record = { ...(e.record as Record<string, unknown>), eventTime: time, recipientAccountId: account, awsRegion: region, eventID: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}` };
    const delivered = new Date(eventMs + delayMs);
    const day = delivered.toISOString().slice(0, 10).replace(/-/g, '/');
    const stamp = delivered.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
    out.push({ record, key: `AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}_f${n % 7}.json.gz` });
  };
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let burst = 0; burst < 120; burst++) {
    const e = LABELLED_EVENTS[Math.floor(random() * LABELLED_EVENTS.length)];
    const at = start + Math.floor(random() * 4.5 * 86_400_000);
    const account = ACCOUNTS[burst % ACCOUNTS.length];
    const region = REGIONS[Math.floor(random() * REGIONS.length)];
    const size = 1 + Math.floor(random() * 4);
    for (let i = 0; i < size; i++) place(e, at + i * 40_000, Math.floor(random() * 900_000), account, region);
  }
  // Just before the window's end, delivered the next day: the last partition day is the day after the window's last day.
  const late = LABELLED_EVENTS.find((e) => e.fires.length > 0)!;
  place(late, UNTIL.getTime() - 60_000, 600_000, '444444444444', 'us-east-1');
  return out;
}

function writeArchive(root: string, placed: readonly Placed[]): string[] {
  const byKey = new Map<string, Record<string, unknown>[]>();
  for (const p of placed) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p.record]);
  for (const [key, records] of byKey) {
    fs.mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
    fs.writeFileSync(path.join(root, key), gzipSync(JSON.stringify({ Records: records })));
  }
  return [...byKey.keys()].map((k) => path.join(root, k));
}

/** The table's storage.location.template as a pattern over the archive's keys: partition values from the key, as Athena projects them. */
function templatePattern(): RegExp {
  const { template } = tableLocation(PLAN);
  const prefix = `s3://${PLAN.archiveBucket}/`;
  expect(template.startsWith(prefix)).toBe(true);
  const body = template.slice(prefix.length).replace(/[.*+?^()|[\]\\]/g, '\\$&')
    .replace('${account}', '(?<account>\\d{12})')
    .replace('${region}', '(?<region>[a-z]{2}(?:-[a-z]+)+-\\d)')
    .replace('${timestamp}', '(?<timestamp>\\d{4}/\\d{2}/\\d{2})');
  expect(body).not.toContain('${');
  return new RegExp(`^${body}/[^/]+\\.json\\.gz$`);
}

let local: BacktestReport;
let conn: DuckDBConnection;
let placed: Placed[];

beforeAll(async () => {
  placed = archiveRecords();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-athena-agree-'));
  const inWindow = placed.filter((p) => {
    const t = Date.parse(p.record.eventTime as string);
    return t >= SINCE.getTime() && t < UNTIL.getTime();
  });
  // The local backtest replays only the window's events (its own archive copy).
  local = await runBacktest(writeArchive(path.join(root, 'window'), inWindow), backtestFilters(CONFIG), { workers: 0 });
  const files = writeArchive(path.join(root, 'all'), placed);
  const pattern = templatePattern();
  const rows = files.flatMap((f) => {
    const key = path.relative(path.join(root, 'all'), f).split(path.sep).join('/');
    const m = pattern.exec(key);
    if (!m?.groups) throw new Error(`${key} is outside the table's layout`);
    const records = placed.filter((p) => p.key === key).map((p) => p.record);
    return records.map((record) => ({ record, partition: m.groups! }));
  });
  conn = await partitionedAthenaTable(rows, PARTITION_KEYS);
}, 120_000);

async function runPeriodQuery(sql: string, params: readonly string[]): Promise<PeriodRow[]> {
  const stmt = await conn.prepare(sql);
  // Athena's ExecutionParameters are SQL literals; DuckDB binds the values.
  params.forEach((p, i) => stmt.bindVarchar(i + 1, p.replace(/^'|'$/g, '')));
  return (await stmt.runAndReadAll()).getRowObjects() as unknown as PeriodRow[];
}

describe('the period queries over the partitioned table agree with the local backtest', () => {
  test('the archive spans more than the window and some alarms fire', () => {
    expect(placed.length).toBeGreaterThan(local.filters.reduce((n, f) => n + f.matches, 0));
    expect(local.filters.some((f) => f.alarms > 0)).toBe(true);
    expect(local.filters.filter((f) => f.matches > 0).length).toBeGreaterThan(5);
  });

  const detections = sqlDetections(CONFIG);
  test.each(detections.map((d) => [d.id, d] as const))('%s', async (_id, d) => {
    if ('skipped' in d) throw new Error(`${d.id} skipped: ${d.skipped}`);
    const i = local.filters.findIndex((f) => f.name === d.id);
    const filter = backtestFilters(CONFIG)[i];
    const sql = periodQuery(d.condition, { table: 'cloudtrail_logs', period: d.alarm.period });
    const got = filterReport(filter, tallyOfRows(await runPeriodQuery(sql, queryParameters(SINCE, UNTIL))), local.days);
    expect(got).toEqual(local.filters[i]);
  });

  test('partition predicates: the last partition day is the day after the window\'s last day, and days outside them are not read', async () => {
    expect(queryParameters(SINCE, UNTIL).slice(0, 2)).toEqual(["'2026/11/02'", "'2026/11/05'"]);
    expect(queryParameters(SINCE, new Date('2026-11-04T23:50:00Z'))[1]).toBe("'2026/11/05'");
    // The detection the late-delivered record fires.
    const lateId = LABELLED_EVENTS.find((e) => e.fires.length > 0)!.fires[0];
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
