/**
 * Every catalog detection (CIS and threat) against every labelled sample, through all three
 * renderers: the CloudWatch filter-pattern evaluator, the EventBridge pattern matcher and the SQL
 * (Athena dialect, run in DuckDB). The three must agree on every (detection, sample) pair, and on a
 * detection's own samples they must equal the label. CIS controls take their labels from
 * __tests__/fixtures/cloudtrail-events.ts, threat detections carry theirs (`samples`).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { athenaTable } from '../support/athena-table';
import { CATALOG, cloudWatchPatternFor, detectionCondition, normalize, THREAT_CATALOG, type Control, type SampleRecord } from '../../lib/catalog';
import { eventBridgePatternFor } from '../../lib/catalog/render/eventbridge';
import { renderCondition } from '../../lib/catalog/render/sql';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { LABELLED_EVENTS, type DetailType } from '../fixtures/cloudtrail-events';
import { asEventBridgeEvent, eventMatches } from '../support/eventbridge-pattern';

interface PoolSample {
  readonly name: string;
  readonly record: SampleRecord;
  readonly detailType: DetailType;
  /** Detection ids labelled to fire on it (undefined: no label for this detection either way). */
  readonly labels: ReadonlyMap<string, boolean>;
}

const API: DetailType = 'AWS API Call via CloudTrail';
const pool: PoolSample[] = [];
for (const e of LABELLED_EVENTS) pool.push({ name: `fixture: ${e.name}`, record: e.record, detailType: e.detailType, labels: new Map(CATALOG.map((c) => [c.id, e.fires.includes(c.id)])) });
// Threat detections carry their samples; a CIS control may too (records the fixtures do not cover).
const detailTypeOf = (r: SampleRecord): DetailType => (r.eventType === 'AwsConsoleSignIn' ? 'AWS Console Sign In via CloudTrail' : API);
for (const t of [...CATALOG, ...THREAT_CATALOG]) {
  for (const s of t.samples?.fires ?? []) pool.push({ name: `${t.id} fires: ${s.name}`, record: s.record, detailType: detailTypeOf(s.record), labels: new Map([[t.id, true]]) });
  for (const s of t.samples?.quiet ?? []) pool.push({ name: `${t.id} quiet: ${s.name}`, record: s.record, detailType: detailTypeOf(s.record), labels: new Map([[t.id, false]]) });
}
const DETECTIONS: readonly Control[] = [...CATALOG, ...THREAT_CATALOG];

let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await athenaTable(pool.map((p) => p.record as Record<string, unknown>));
});

async function sqlMatches(c: Control): Promise<Set<number>> {
  const where = renderCondition(normalize(detectionCondition(c.detection)), 'athena');
  const rows = (await conn.runAndReadAll(`SELECT sample FROM cloudtrail_logs WHERE ${where}`)).getRowObjects() as { sample: number }[];
  return new Set(rows.map((r) => Number(r.sample)));
}

describe.each(DETECTIONS.map((c) => [c.id, c] as const))('%s', (_id, control) => {
  test('CloudWatch, EventBridge and SQL agree on every sample, and with its labels', async () => {
    const cw = compileFilterPattern(cloudWatchPatternFor(control, 'cis'));
    const eb = eventBridgePatternFor(control) as unknown as Record<string, unknown>;
    const sql = await sqlMatches(control);
    const disagreements: string[] = [];
    let labelled = 0;
    pool.forEach((p, i) => {
      const verdict = { cloudwatch: cw.matchesEvent(p.record), eventbridge: eventMatches(eb, asEventBridgeEvent(p.record as Record<string, unknown>, p.detailType)), sql: sql.has(i) };
      const label = p.labels.get(control.id);
      if (label !== undefined) labelled++;
      const values = Object.values(verdict);
      if (values.some((v) => v !== values[0]) || (label !== undefined && values[0] !== label)) {
        disagreements.push(`${p.name}: ${JSON.stringify(verdict)}${label !== undefined ? ` label ${label}` : ''}`);
      }
    });
    expect(disagreements).toEqual([]);
    // Each detection has samples of both kinds among its labels.
    expect(labelled).toBeGreaterThanOrEqual(2);
    expect(pool.some((p, i) => p.labels.get(control.id) === true && sql.has(i))).toBe(true);
  });
});
