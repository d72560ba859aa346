/**
 * A small organization archive for the Athena tests: records of the labelled events over
 * 2026-11-01 .. 11-05 in bursts (so alarms fire), laid out with the organization trail's real key
 * structure (AWSLogs/<org id>/<account>/CloudTrail/<region>/yyyy/MM/dd/<file>.json.gz, filed under
 * the delivery day), read into a DuckDB table whose partition columns come from the keys through
 * the Athena table's own storage.location.template; and the local backtest's report of the window.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { backtestFilters } from '../../lib/backtest/filters';
import { runBacktest, type BacktestReport } from '../../lib/backtest/run-backtest';
import { parseConfigText } from '../../lib/config/load';
import { planOrganization } from '../../lib/core/organization';
import { planQuery, tableLocation } from '../../lib/query/plan';
import { PARTITION_KEYS } from '../../lib/query/table';
import { seededRandom } from '../../scripts/seeded-random';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { partitionedAthenaTable } from './athena-table';
import { MINIMAL_YAML } from './configs';
import { planDetections } from '../../lib/monitoring/plan';

export const CONFIG = parseConfigText(
  MINIMAL_YAML.replace('accounts:\n', '  securityAccount: { id: "333333333333", name: security }\naccounts:\n') + 'trail:\n  archive:\n    query: { engine: athena, firstDay: "2026-10-01" }\n',
  'test.yaml',
);
export const PLAN = planQuery(planOrganization(CONFIG))!;
export const SINCE = new Date('2026-11-02T00:00:00Z');
export const UNTIL = new Date('2026-11-05T00:00:00Z');
const ACCOUNTS = ['111111111111', '444444444444', '555555555555'];
// ap-south-1 is governed by no account: the multi-region trail writes it all the same.
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];

export interface Placed { record: Record<string, unknown>; key: string }

/** The labelled event a record just before the window's end is made of, delivered the next day. */
export const LATE_EVENT = LABELLED_EVENTS.find((e) => e.fires.length > 0)!;

export function archiveRecords(): Placed[] {
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
  place(LATE_EVENT, UNTIL.getTime() - 60_000, 600_000, '444444444444', 'us-east-1');
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
  if (!template.startsWith(prefix)) throw new Error(`the template ${template} is not in the archive bucket`);
  const body = template.slice(prefix.length).replace(/[.*+?^()|[\]\\]/g, '\\$&')
    .replace('${account}', '(?<account>\\d{12})')
    .replace('${region}', '(?<region>[a-z]{2}(?:-[a-z]+)+-\\d)')
    .replace('${timestamp}', '(?<timestamp>\\d{4}/\\d{2}/\\d{2})');
  if (body.includes('${')) throw new Error(`unknown placeholder in ${template}`);
  return new RegExp(`^${body}/[^/]+\\.json\\.gz$`);
}

export interface OrgArchive {
  readonly placed: readonly Placed[];
  /** The local backtest of the window's events (its own archive copy). */
  readonly local: BacktestReport;
  /** DuckDB, `cloudtrail_logs` with the partition columns. */
  readonly conn: DuckDBConnection;
}

export async function orgArchive(): Promise<OrgArchive> {
  const placed = archiveRecords();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-athena-archive-'));
  const inWindow = placed.filter((p) => {
    const t = Date.parse(p.record.eventTime as string);
    return t >= SINCE.getTime() && t < UNTIL.getTime();
  });
  const local = await runBacktest(writeArchive(path.join(root, 'window'), inWindow), backtestFilters(planDetections((CONFIG).monitoring)), { workers: 0 });
  const files = writeArchive(path.join(root, 'all'), placed);
  const pattern = templatePattern();
  const rows = files.flatMap((f) => {
    const key = path.relative(path.join(root, 'all'), f).split(path.sep).join('/');
    const m = pattern.exec(key);
    if (!m?.groups) throw new Error(`${key} is outside the table's layout`);
    return placed.filter((p) => p.key === key).map((p) => ({ record: p.record, partition: m.groups! }));
  });
  const conn = await partitionedAthenaTable(rows, PARTITION_KEYS);
  fs.rmSync(root, { recursive: true, force: true });
  return { placed, local, conn };
}

/** Runs a period query with Athena-style parameters (SQL literals) in DuckDB. */
export async function runInDuckDb(conn: DuckDBConnection, sql: string, params: readonly string[]): Promise<Record<string, unknown>[]> {
  const stmt = await conn.prepare(sql);
  params.forEach((p, i) => stmt.bindVarchar(i + 1, p.replace(/^'|'$/g, '')));
  return (await stmt.runAndReadAll()).getRowObjects() as Record<string, unknown>[];
}
