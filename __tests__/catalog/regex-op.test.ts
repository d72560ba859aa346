/**
 * The `regex` / `notRegex` ops (added for Sigma's `|re`): CloudWatch `%regex%` and SQL
 * `regexp_like` agree on the same records, absent fields included; EventBridge, which has no
 * regular expressions, refuses them; the read-only state stays conservative.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { all, canMatchWithheldReadOnlyCall, equals, normalize, notRegex, regex, renderCloudWatchPattern, type Condition } from '../../lib/catalog';
import { renderEventBridgeDetail } from '../../lib/catalog/render/eventbridge';
import { renderCondition } from '../../lib/catalog/render/sql';
import { compileFilterPattern, lintFilterPattern } from '../../lib/filter-pattern';

const RECORDS: Record<string, unknown>[] = [
  { eventID: 'a', eventName: 'GetObject', userAgent: 'aws-cli/2.15.0' },
  { eventID: 'b', eventName: 'PutObject', userAgent: 'Boto3/1.34.0 md/Botocore#1.34.0' },
  { eventID: 'c', eventName: 'GetBucketAcl', userAgent: 'S3Console/0.4' },
  { eventID: 'd', eventName: 'ListBuckets' }, // no userAgent
];

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  // Athena's regexp_like is an unanchored search, as DuckDB's regexp_matches.
  await conn.run(`CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)`);
  await conn.run('CREATE TABLE t (eventid VARCHAR, eventname VARCHAR, useragent VARCHAR)');
  for (const r of RECORDS) await conn.run(`INSERT INTO t VALUES ('${r.eventID}', '${r.eventName}', ${r.userAgent === undefined ? 'NULL' : `'${r.userAgent}'`})`);
});

const cloudwatch = (c: Condition) => {
  const p = compileFilterPattern(renderCloudWatchPattern(c));
  return RECORDS.filter((r) => p.matchesEvent(r)).map((r) => r.eventID);
};
const sql = async (c: Condition) =>
  ((await conn.runAndReadAll(`SELECT eventid FROM t WHERE ${renderCondition(normalize(c), 'athena')} ORDER BY eventid`)).getRowObjects() as { eventid: string }[]).map((r) => r.eventid);

test.each([
  ['regex, unanchored', regex(['userAgent'], 'cli/[0-9]+'), ['a']],
  ['regex with | alternatives and an anchor', regex(['userAgent'], '^Boto3|S3Console'), ['b', 'c']],
  ['regex list: any of them', regex(['userAgent'], '^Boto3/', '^S3Console/'), ['b', 'c']],
  ['notRegex: present and matching none (absent records left out, like !=)', notRegex(['userAgent'], '^Boto3/', 'Console'), ['a']],
  ['regex with other tests', all(equals(['eventName'], 'GetObject', 'GetBucketAcl'), regex(['userAgent'], 'S[0-9]Console')), ['c']],
] as const)('%s: CloudWatch and SQL select the same records', async (_name, c, expected) => {
  expect(cloudwatch(c)).toEqual(expected);
  expect(await sql(c)).toEqual(expected);
});

test('CloudWatch rendering: %regex% values, lint-clean, characters CloudWatch refuses are refused', () => {
  const p = renderCloudWatchPattern(all(equals(['eventSource'], 's3.amazonaws.com'), notRegex(['userAgent'], '^aws-cli/')));
  expect(p).toBe('{ ($.eventSource = "s3.amazonaws.com") && ($.userAgent != %^aws-cli/%) }');
  expect(lintFilterPattern(p).filter((f) => f.severity === 'error')).toEqual([]);
  expect(() => renderCloudWatchPattern(regex(['userAgent'], '(a|b)'))).toThrow(/the character "\(" cannot appear in a CloudWatch Logs regex/);
  expect(() => renderCloudWatchPattern(regex(['userAgent'], 'a b'))).toThrow(/the character " "/);
});

test('EventBridge has no regular expressions: the renderer refuses, naming the field', () => {
  expect(() => renderEventBridgeDetail(regex(['userIdentity', 'arn'], ':assumed-role/aws:'))).toThrow(/regex on userIdentity\.arn .*EventBridge event patterns have no regular expressions/);
});

test('a regex on eventName may match Describe*/Get*/List* calls (the read-only rule state is kept)', () => {
  expect(canMatchWithheldReadOnlyCall(regex(['eventName'], '^Put'))).toBe(true);
  expect(canMatchWithheldReadOnlyCall(all(equals(['eventName'], 'PutObject'), regex(['userAgent'], 'x')))).toBe(false);
});
