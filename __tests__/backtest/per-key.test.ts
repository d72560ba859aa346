/**
 * Per-key counting agrees in every renderer: on the same records, the backtest (filter pattern +
 * per-key tallies), the SQL rendered for Athena (run in DuckDB) and the Contributor Insights rule's
 * own filters (evaluated as AWS documents them) count the same matches per period and per key
 * value, and the backtest's alarm replays the largest contributor, not the sum.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backtestFilters, backtestSql } from '../../lib/backtest/filters';
import { runBacktest } from '../../lib/backtest/run-backtest';
import { FileEvaluator } from '../../lib/backtest/evaluate';
import { apiCall, assumedRole, awsService } from '../../lib/catalog/threats/sample-records';
import { THREAT_CATALOG } from '../../lib/catalog';
import { contributorFiltersMatch, contributorOf } from '../../lib/filter-pattern/contributor-insights';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { planDetections } from '../../lib/monitoring/plan';
import { minimalConfig } from '../support/configs';
import { athenaTable } from '../support/athena-table';

const THIEF = assumedRole('payments-api', 'stolen');
const OPS = assumedRole('ops', 'bob');
const DEV = assumedRole('dev', 'carol');
const DEPLOY = assumedRole('Deploy', 'ci');
const read = (who: Record<string, unknown>, at: string, eventName = 'GetSecretValue') =>
  apiCall({ eventSource: 'secretsmanager.amazonaws.com', eventName, userIdentity: who, eventTime: at, readOnly: true, requestParameters: { secretId: `s-${at}` } });

// 09:00-09:05: the thief reads 6 secrets, ops 3; 09:05-09:10: ops 3 and dev 3 (6 together, 3 each);
// the deploy role (excluded) reads 10; an AWS service (no userIdentity.arn) reads 4; DescribeSecret never counts.
const RECORDS = [
  ...['00', '01', '02', '03'].map((m) => read(THIEF, `2026-11-02T09:${m}:10Z`)),
  ...['03', '04'].map((m) => read(THIEF, `2026-11-02T09:${m}:40Z`, 'BatchGetSecretValue')),
  ...['00', '02', '04'].map((m) => read(OPS, `2026-11-02T09:${m}:20Z`)),
  ...['05', '06', '07'].map((m) => read(OPS, `2026-11-02T09:${m}:20Z`)),
  ...['06', '07', '08'].map((m) => read(DEV, `2026-11-02T09:${m}:30Z`)),
  ...Array.from({ length: 10 }, (_, i) => read(DEPLOY, `2026-11-02T09:01:${String(i + 10)}Z`)),
  ...['00', '01', '02', '03'].map((m) => read(awsService('ecs-tasks.amazonaws.com'), `2026-11-02T09:${m}:50Z`)),
  read(THIEF, '2026-11-02T09:02:00Z', 'DescribeSecret'),
] as Record<string, unknown>[];

const YAML =
  'monitoring:\n  threats:\n    detections:\n      secrets-harvesting:\n        exclude: { identities: ["arn:aws:sts::444444444444:assumed-role/Deploy/ci"] }\n        alarm: { threshold: 5, per: userIdentity.arn }\n';
const config = minimalConfig(YAML);
const detection = planDetections(config.monitoring).detections.find((d) => d.id === 'secrets-harvesting')!;
const rule = detection.contributorRule!;
const periodOf = (r: Record<string, unknown>) => {
  const s = Math.floor(Date.parse(r.eventTime as string) / 1000);
  return s - (s % 300);
};

/** Matches per `<period start> <contributor>`. */
type Counts = Record<string, number>;
const add = (c: Counts, k: string) => (c[k] = (c[k] ?? 0) + 1);

let conn: DuckDBConnection;
let dir: string;
beforeAll(async () => {
  conn = await athenaTable(RECORDS);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-per-key-'));
  fs.writeFileSync(path.join(dir, 'records.json'), JSON.stringify({ Records: RECORDS }));
});

describe('per-key counting: backtest, SQL and the Contributor Insights rule agree', () => {
  const expected: Counts = { '1793610000 arn:aws:sts::444444444444:assumed-role/payments-api/stolen': 6, '1793610000 arn:aws:sts::444444444444:assumed-role/ops/bob': 3, '1793610300 arn:aws:sts::444444444444:assumed-role/ops/bob': 3, '1793610300 arn:aws:sts::444444444444:assumed-role/dev/carol': 3 };

  test('the rule: its filters and keys, evaluated on each record', () => {
    const counts: Counts = {};
    for (const r of RECORDS) {
      const who = contributorOf(r, rule.fields);
      if (who !== undefined && contributorFiltersMatch(rule.filters, r)) add(counts, `${periodOf(r)} ${who}`);
    }
    expect(counts).toEqual(expected);
  });

  test('the backtest: pattern matches tallied per period and key value', () => {
    const [f] = backtestFilters(planDetections((config).monitoring)).filter((x) => x.name === 'secrets-harvesting');
    expect(f.per).toEqual(['userIdentity.arn']);
    const evaluator = new FileEvaluator([f]);
    evaluator.evaluateFile(path.join(dir, 'records.json'));
    expect(Object.fromEntries(evaluator.tallies[0].contributors)).toEqual(expected);
  });

  test('SQL (Athena, in DuckDB): grouped by period and key', async () => {
    const sql = backtestSql(planDetections((config).monitoring), 'athena').split('\n\n').find((q) => q.includes('secrets-harvesting'))!;
    expect(sql).toMatch(/useridentity\.arn AS key1/);
    const rows = (await conn.runAndReadAll(sql)).getRowObjects() as { period: { micros: bigint } | unknown; key1: string; matches: bigint }[];
    const counts: Counts = {};
    for (const r of rows) counts[`${Math.floor(new Date(String(r.period)).getTime() / 1000)} ${r.key1}`] = Number(r.matches);
    expect(counts).toEqual(expected);
  });

  test('the alarm replays the largest contributor: the thief alarms once, 3 + 3 in one period does not', async () => {
    const report = await runBacktest([path.join(dir, 'records.json')], backtestFilters(planDetections((config).monitoring)).filter((x) => x.name === 'secrets-harvesting'), { workers: 0 });
    const [f] = report.filters;
    expect(f.matches).toBe(19); // 6 + 6 + 3 (ops, dev) + 4 service reads without an ARN
    expect(f.alarmPeriods).toBe(1);
    expect(f.alarms).toBe(1);
    expect(f.top.contributors![0]).toEqual({ value: 'arn:aws:sts::444444444444:assumed-role/payments-api/stolen', count: 6 });
    // The same detection counted for the whole organization would alarm in both periods.
    const summed = await runBacktest([path.join(dir, 'records.json')], backtestFilters(planDetections((minimalConfig(YAML.replace('per: userIdentity.arn', 'per: []'))).monitoring)).filter((x) => x.name === 'secrets-harvesting'), { workers: 0 });
    expect(summed.filters[0].alarmPeriods).toBe(2);
  });

  test('worker threads merge per-key tallies like the in-thread path', async () => {
    fs.writeFileSync(path.join(dir, 'records-2.json'), JSON.stringify({ Records: RECORDS.slice(0, 3) }));
    const files = [path.join(dir, 'records.json'), path.join(dir, 'records-2.json')];
    const filters = backtestFilters(planDetections((config).monitoring)).filter((x) => x.name === 'secrets-harvesting');
    const [one, two] = [await runBacktest(files, filters, { workers: 0 }), await runBacktest(files, filters, { workers: 2 })];
    expect(two.filters[0].top.contributors).toEqual(one.filters[0].top.contributors);
    expect(one.filters[0].top.contributors![0].count).toBe(9);
  }, 60_000);

  test('on every threat sample, a per-principal rule\'s filters match exactly what the pattern matches (records with a principal ARN)', () => {
    let checked = 0;
    for (const control of THREAT_CATALOG) {
      const d = planDetections({ threats: { detections: { [control.id]: { alarm: { per: 'userIdentity.arn' } } } } }).detections.find((x) => x.id === control.id);
      if (!d?.contributorRule) continue; // refused: not expressible as Contributor Insights filters
      const pattern = compileFilterPattern(d.pattern);
      for (const s of [...(control.samples?.fires ?? []), ...(control.samples?.quiet ?? [])]) {
        if (contributorOf(s.record, ['userIdentity.arn']) === undefined) continue;
        expect([control.id, s.name, contributorFiltersMatch(d.contributorRule.filters, s.record)]).toEqual([control.id, s.name, pattern.matchesEvent(s.record)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
