/**
 * The SQL rendered for Athena gives the same counts as the filter-pattern evaluator on the labelled
 * events, run in DuckDB over a table shaped like the standard Athena CloudTrail table.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CATALOG, cloudWatchPatternFor } from '../../lib/catalog';
import { renderSqlQuery, sqlQueryFor } from '../../lib/catalog/render/sql';
import { equals, prefix, wildcard } from '../../lib/catalog/condition';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { identityOf } from '../../lib/backtest/stats';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { athenaTable } from '../support/athena-table';

let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await athenaTable(LABELLED_EVENTS.map((e) => e.record as Record<string, unknown>));
});

async function perIdentity(sql: string): Promise<Record<string, number>> {
  const rows = (await conn.runAndReadAll(sql)).getRowObjects() as { identity: string; matches: bigint }[];
  const out: Record<string, number> = {};
  for (const r of rows) out[r.identity] = (out[r.identity] ?? 0) + Number(r.matches);
  return out;
}

describe.each(CATALOG.map((c) => [c.id, c] as const))('Athena SQL of %s', (_id, control) => {
  test('counts per identity equal the evaluator and the labels', async () => {
    const matcher = compileFilterPattern(cloudWatchPatternFor(control, 'cis'));
    const expected: Record<string, number> = {};
    const labelled: Record<string, number> = {};
    for (const e of LABELLED_EVENTS) {
      if (matcher.matchesEvent(e.record)) expected[identityOf(e.record as any)] = (expected[identityOf(e.record as any)] ?? 0) + 1;
      if (e.fires.includes(control.id)) labelled[identityOf(e.record as any)] = (labelled[identityOf(e.record as any)] ?? 0) + 1;
    }
    const got = await perIdentity(sqlQueryFor(control, 'athena'));
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(got).toEqual(expected);
    expect(got).toEqual(labelled);
  });
});

describe('SQL rendering', () => {
  test('values are escaped: quotes doubled, LIKE wildcards literal', async () => {
    const sql = renderSqlQuery(prefix(['eventName'], "O'Brien_%"), 'athena');
    expect(sql).toContain("eventname LIKE 'O''Brien\\_\\%%' ESCAPE '\\'");
    await conn.run(`INSERT INTO cloudtrail_logs (eventname, eventtime, useridentity) VALUES ('O''Brien_%x', '2026-11-02T00:00:00Z', {'type': 'IAMUser', 'principalid': NULL, 'arn': 'arn:x', 'accountid': NULL, 'invokedby': NULL, 'accesskeyid': NULL, 'username': NULL}), ('O''BrienA%x', '2026-11-02T00:00:00Z', NULL)`);
    expect(await perIdentity(sql)).toEqual({ 'arn:x': 1 });
  });

  test('wildcards become LIKE patterns', () => {
    expect(renderSqlQuery(wildcard(['userIdentity', 'arn'], 'arn:aws:sts::*:assumed-role/ReadOnly/*'), 'athena')).toContain(
      "useridentity.arn LIKE 'arn:aws:sts::%:assumed-role/ReadOnly/%' ESCAPE '\\'",
    );
  });

  test('CloudTrail Lake: camelCase fields, maps for documents, the event data store as table', () => {
    const c = CATALOG.find((x) => x.id === 'console-signin-without-mfa')!;
    const sql = sqlQueryFor(c, 'cloudtrail-lake', { table: 'abcd-1234', since: '2026-10-01' });
    expect(sql).toContain('FROM abcd-1234');
    expect(sql).toContain("eventName = 'ConsoleLogin'");
    expect(sql).toMatch(/element_at\(additionalEventData, 'MFAUsed'\)/);
    expect(sql).toContain("eventTime >= timestamp '2026-10-01'");
    expect(sql.split('\n')[0]).toBe('-- console-signin-without-mfa: ' + c.title);
  });

  test('IN lists for several values', () => {
    expect(renderSqlQuery(equals(['eventName'], 'A', 'B'), 'athena')).toContain("eventname IN ('A', 'B')");
  });
});
