/**
 * The `isTrue` / `isFalse` ops (JSON booleans, added for Sigma values 'true' / 'false'): CloudWatch
 * `IS TRUE` / `IS FALSE`, EventBridge `true` / `false`, SQL on the text of the value. CloudWatch and
 * EventBridge tell a boolean from the string "true"; Athena's json_extract_scalar does not, so the
 * Sigma converter always pairs them with `equals 'true'` (the text), on which all three agree.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { all, any, equals, isFalse, isTrue, normalize, renderCloudWatchPattern, type Condition } from '../../lib/catalog';
import { renderEventBridgeDetail } from '../../lib/catalog/render/eventbridge';
import { renderCondition } from '../../lib/catalog/render/sql';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { eventMatches } from '../support/eventbridge-pattern';

const RECORDS: Record<string, unknown>[] = [
  { eventID: 'a', eventName: 'UpdateDetector', requestParameters: { enable: false } },
  { eventID: 'b', eventName: 'UpdateDetector', requestParameters: { enable: true } },
  { eventID: 'c', eventName: 'UpdateDetector', requestParameters: { enable: 'false' } },
  { eventID: 'd', eventName: 'UpdateDetector', requestParameters: { findingPublishingFrequency: 'SIX_HOURS' } },
  { eventID: 'e', eventName: 'UpdateDetector', requestParameters: { enable: null } },
];

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j::JSON, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END`);
  await conn.run('CREATE TABLE t (eventid VARCHAR, eventname VARCHAR, requestparameters VARCHAR)');
  for (const r of RECORDS) await conn.run(`INSERT INTO t VALUES ('${r.eventID}', '${r.eventName}', '${JSON.stringify(r.requestParameters)}')`);
});

const field = ['requestParameters', 'enable'] as const;
const select = {
  cloudwatch: (c: Condition) => {
    const p = compileFilterPattern(renderCloudWatchPattern(c));
    return RECORDS.filter((r) => p.matchesEvent(r)).map((r) => r.eventID);
  },
  eventbridge: (c: Condition) => RECORDS.filter((r) => eventMatches({ detail: renderEventBridgeDetail(c) }, { detail: r })).map((r) => r.eventID),
  sql: async (c: Condition) => ((await conn.runAndReadAll(`SELECT eventid FROM t WHERE ${renderCondition(normalize(c), 'athena')} ORDER BY eventid`)).getRowObjects() as { eventid: string }[]).map((r) => r.eventid),
};

test('isTrue / isFalse: CloudWatch and EventBridge match the JSON boolean only', () => {
  expect(select.cloudwatch(isFalse([...field]))).toEqual(['a']);
  expect(select.eventbridge(isFalse([...field]))).toEqual(['a']);
  expect(select.cloudwatch(isTrue([...field]))).toEqual(['b']);
  expect(select.eventbridge(isTrue([...field]))).toEqual(['b']);
  expect(renderCloudWatchPattern(isTrue([...field]))).toBe('{ ($.requestParameters.enable IS TRUE) }');
  expect(renderEventBridgeDetail(isFalse([...field]))).toEqual({ requestParameters: { enable: [false] } });
});

test("the text or the boolean (what Sigma's 'false' means): all three targets select the same records", async () => {
  const c = all(equals(['eventName'], 'UpdateDetector'), any(equals([...field], 'false'), isFalse([...field])));
  expect(renderEventBridgeDetail(c)).toEqual({ eventName: ['UpdateDetector'], requestParameters: { enable: ['false', false] } });
  expect(select.cloudwatch(c)).toEqual(['a', 'c']);
  expect(select.eventbridge(c)).toEqual(['a', 'c']);
  expect(await select.sql(c)).toEqual(['a', 'c']);
});
