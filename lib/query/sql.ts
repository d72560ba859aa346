/**
 * SQL of the Athena table (lib/query/table.ts): one query per enabled detection, counting matches
 * per alarm period, identity, source IP and event name, so the backtest's alarm replay and top lists
 * (lib/backtest/stats.ts) run on its rows exactly as on the local evaluator's tallies; plus a few
 * hunting queries people start from.
 *
 * Every query takes four positional parameters (Athena ExecutionParameters; the console prompts
 * for them when a saved query is run): the first and last partition day (`'yyyy/MM/dd'`, so Athena
 * lists only those days' prefixes) and the half-open event-time window (`'<ISO time>'`). The
 * partition days are the event window's days plus the next: CloudTrail files a log file under the
 * day it delivers it, minutes after its events.
 */
import { renderCondition, sqlIdentity } from '../catalog/render/sql';
import type { Condition } from '../catalog/types';
import { normalize } from '../catalog/condition';

/** The WHERE clause's partition and time predicates (four `?` parameters; see queryParameters). */
export const WINDOW_PREDICATES = [`"timestamp" BETWEEN ? AND ?`, 'from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp(?)', 'from_iso8601_timestamp(eventtime) < from_iso8601_timestamp(?)'];

export interface PeriodQueryOptions {
  /** Table name. @default cloudtrail_logs */
  readonly table?: string;
  /** Seconds per alarm period: rows are grouped by the period's start (epoch seconds). */
  readonly period: number;
  /** First comment line. @default none */
  readonly title?: string;
}

/** A detection's matches per alarm period, identity, source IP and event name within the window. */
export function periodQuery(condition: Condition, options: PeriodQueryOptions): string {
  if (!Number.isInteger(options.period) || options.period <= 0) throw new Error(`expected a whole number of seconds per period, got ${options.period}`);
  return [
    ...(options.title ? [`-- ${options.title.replace(/\n/g, ' ')}`] : []),
    `SELECT CAST(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / ${options.period}) AS BIGINT) * ${options.period} AS period,`,
    `       ${sqlIdentity('athena')} AS identity,`,
    `       coalesce(sourceipaddress, 'unknown') AS source_ip,`,
    `       coalesce(eventname, 'unknown') AS event_name,`,
    '       count(*) AS matches',
    `FROM ${options.table ?? 'cloudtrail_logs'}`,
    `WHERE ${[...WINDOW_PREDICATES, renderCondition(normalize(condition), 'athena')].join('\n  AND ')}`,
    'GROUP BY 1, 2, 3, 4',
    'ORDER BY 1, 2, 3, 4;',
  ].join('\n');
}

/** A hunting query: a starting point for an investigation, with the same four window parameters. */
export interface HuntingQuery {
  readonly id: string;
  readonly description: string;
  readonly sql: (table: string) => string;
}

const where = (...extra: string[]) => `WHERE ${[...WINDOW_PREDICATES, ...extra].join('\n  AND ')}`;

export const HUNTING_QUERIES: readonly HuntingQuery[] = [
  {
    id: 'top-denied-callers',
    description: 'Identities with the most AccessDenied / UnauthorizedOperation errors, and the APIs they were denied.',
    sql: (t) =>
      [
        `SELECT ${sqlIdentity('athena')} AS identity, eventsource, eventname, errorcode, count(*) AS denied`,
        `FROM ${t}`,
        where(`(errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%UnauthorizedOperation%' OR errorcode LIKE '%Unauthorized%')`),
        'GROUP BY 1, 2, 3, 4',
        'ORDER BY denied DESC',
        'LIMIT 100;',
      ].join('\n'),
  },
  {
    id: 'console-signin-without-mfa',
    description: 'Successful console sign-ins of IAM users without MFA.',
    sql: (t) =>
      [
        `SELECT eventtime, ${sqlIdentity('athena')} AS identity, sourceipaddress, useragent, recipientaccountid`,
        `FROM ${t}`,
        where(`eventname = 'ConsoleLogin'`, `json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'`, `json_extract_scalar(additionaleventdata, '$.MFAUsed') <> 'Yes'`, `useridentity.type = 'IAMUser'`),
        'ORDER BY eventtime;',
      ].join('\n'),
  },
  {
    id: 'new-access-keys',
    description: 'Access keys created, who created them and for which user.',
    sql: (t) =>
      [
        `SELECT eventtime, ${sqlIdentity('athena')} AS creator, json_extract_scalar(requestparameters, '$.userName') AS for_user,`,
        `       json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS access_key_id, sourceipaddress, recipientaccountid`,
        `FROM ${t}`,
        where(`eventsource = 'iam.amazonaws.com'`, `eventname = 'CreateAccessKey'`, 'errorcode IS NULL'),
        'ORDER BY eventtime;',
      ].join('\n'),
  },
];

const DAY_MS = 86_400_000;
const partitionDay = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');

/**
 * The four parameter values for the window [since, until): partition days from since's day to the
 * day after the window's last day (a log file is filed under the day it is delivered, minutes after
 * its events), then the event-time bounds. Values are SQL literals, as
 * Athena's ExecutionParameters expect.
 */
export function queryParameters(since: Date, until: Date): [string, string, string, string] {
  if (!(since.getTime() < until.getTime())) throw new Error(`expected the window's start before its end, got ${since.toISOString()} .. ${until.toISOString()}`);
  return [`'${partitionDay(since.getTime())}'`, `'${partitionDay(until.getTime() - 1 + DAY_MS)}'`, `'${since.toISOString()}'`, `'${until.toISOString()}'`];
}
