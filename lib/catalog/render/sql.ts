/**
 * Condition tree -> SQL, so a backtest over terabytes runs where the logs already are: Athena over
 * the standard CloudTrail table (the one the CloudTrail console creates: lower-case columns,
 * `useridentity` a struct, `requestparameters` / `responseelements` / `additionaleventdata` JSON
 * strings) or CloudTrail Lake (camelCase fields, those three as maps). Each query counts matches per
 * day and per identity.
 *
 * Semantics match the other renderers: a test of a missing (NULL) field is false, negations
 * included (`x <> 'a'` is NULL, not true, when x is NULL); prefix / suffix / wildcard become LIKE
 * with `%` / `_` in values escaped.
 */
import { detectionCondition, isAll, isMatch, normalize } from '../condition';
import type { Condition, Control, FieldPath, Match } from '../types';

export type SqlDialect = 'athena' | 'cloudtrail-lake';

export interface SqlOptions {
  /** Table (Athena) or event data store id (Lake). @default cloudtrail_logs / $EDS_ID */
  readonly table?: string;
  /** Only events at or after this ISO date. @default none */
  readonly since?: string;
}

/**
 * A per-key detection (Contributor Insights): matches per alarm period and per value of `fields`,
 * which is what the rule counts and the alarm's largest contributor reads. Records without a key
 * value are left out (no contributor to count toward).
 */
export interface SqlPerKey {
  readonly fields: readonly FieldPath[];
  /** Alarm period in seconds. */
  readonly period: number;
}

/** CloudTrail fields held as JSON text (Athena) or maps (Lake) rather than columns. */
const DOCUMENT_FIELDS = new Set(['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails']);
/** Struct fields (nested columns) in both dialects. */
const STRUCT_FIELDS = new Set(['userIdentity', 'tlsDetails']);

export function sqlQueryFor(control: Control, dialect: SqlDialect, options: SqlOptions = {}): string {
  return renderSqlQuery(detectionCondition(control.detection), dialect, { ...options, title: `${control.id}: ${control.title}` });
}

export function renderSqlQuery(condition: Condition, dialect: SqlDialect, options: SqlOptions & { title?: string; perKey?: SqlPerKey } = {}): string {
  const lake = dialect === 'cloudtrail-lake';
  const table = options.table ?? (lake ? '$EDS_ID' : 'cloudtrail_logs');
  const time = lake ? 'eventTime' : 'from_iso8601_timestamp(eventtime)';
  const identity = sqlIdentity(dialect);
  const where = [renderCondition(normalize(condition), dialect)];
  if (options.since !== undefined) where.push(`${time} >= ${lake ? `timestamp '${sqlString(options.since)}'` : `from_iso8601_timestamp(${literal(options.since)})`}`);
  if (options.perKey) {
    const { fields, period } = options.perKey;
    if (!Number.isInteger(period) || period <= 0) throw new Error(`a per-key query needs a whole number of seconds per period, got ${period}`);
    const keys = fields.map((f) => column(f, dialect, false));
    return [
      ...(options.title ? [`-- ${options.title.replace(/\n/g, ' ')} (per ${fields.map((f) => f.join('.')).join(' + ')}, ${period} s periods)`] : []),
      `SELECT from_unixtime(floor(to_unixtime(${time}) / ${period}) * ${period}) AS period,`,
      ...keys.map((k, i) => `       ${k} AS ${checkIdent(`key${i + 1}`)},`),
      '       count(*) AS matches',
      `FROM ${table}`,
      `WHERE ${[...where, ...keys.map((k) => `${k} IS NOT NULL`)].join('\n  AND ')}`,
      `GROUP BY ${Array.from({ length: keys.length + 1 }, (_, i) => i + 1).join(', ')}`,
      `ORDER BY 1, ${keys.length + 2} DESC${keys.map((_, i) => `, ${i + 2}`).join('')};`,
    ].join('\n');
  }
  return [
    ...(options.title ? [`-- ${options.title.replace(/\n/g, ' ')}`] : []),
    `SELECT date_trunc('day', ${time}) AS day,`,
    `       ${identity} AS identity,`,
    '       count(*) AS matches',
    `FROM ${table}`,
    `WHERE ${where.join('\n  AND ')}`,
    'GROUP BY 1, 2',
    'ORDER BY 1, 3 DESC, 2;',
  ].join('\n');
}

/** Who did it, as SQL: the same identity as the evaluator's (backtest/stats.ts identityOf); NULL-propagating || skips absent parts. */
export function sqlIdentity(dialect: SqlDialect): string {
  const lake = dialect === 'cloudtrail-lake';
  const u = lake ? 'userIdentity' : 'useridentity';
  const [arn, type, invokedBy, principalId] = lake ? ['arn', 'type', 'invokedBy', 'principalId'] : ['arn', 'type', 'invokedby', 'principalid'];
  return `coalesce(${u}.${arn}, ${u}.${type} || ':' || ${u}.${invokedBy}, ${u}.${type} || ':' || ${u}.${principalId}, ${u}.${type}, 'unknown')`;
}

export function renderCondition(c: Condition, dialect: SqlDialect): string {
  if (isMatch(c)) return renderMatch(c, dialect);
  const [op, kids] = isAll(c) ? [' AND ', c.all] : [' OR ', (c as { any: readonly Condition[] }).any];
  return `(${kids.map((k) => renderCondition(k, dialect)).join(op)})`;
}

function renderMatch(m: Match, dialect: SqlDialect): string {
  const col = column(m.field, dialect, m.op === 'exists' || m.op === 'notExists');
  switch (m.op) {
    case 'exists':
      return `${col} IS NOT NULL`;
    case 'notExists':
      return `${col} IS NULL`;
    case 'hasItems':
      // Athena: the first item as a scalar, like CloudWatch's $.f[0]. Lake maps hold the array as text.
      return dialect === 'athena' && DOCUMENT_FIELDS.has(m.field[0]) && m.field.length > 1 ? `json_extract_scalar(${m.field[0].toLowerCase()}, ${literal('$.' + m.field.slice(1).join('.') + '[0]')}) IS NOT NULL` : `${col} IS NOT NULL`;
    case 'isTrue':
    case 'isFalse':
      // JSON booleans read as 'true' / 'false' (json_extract_scalar, Lake maps); boolean columns cast to the same.
      return `CAST(${col} AS VARCHAR) = ${literal(m.op === 'isTrue' ? 'true' : 'false')}`;
    case 'equals':
      return m.values.length === 1 ? `${col} = ${literal(m.values[0])}` : `${col} IN (${m.values.map(literal).join(', ')})`;
    case 'notEquals':
      return m.values.length === 1 ? `${col} <> ${literal(m.values[0])}` : `${col} NOT IN (${m.values.map(literal).join(', ')})`;
    case 'prefix':
      return orJoin(m.values.map((v) => `${col} LIKE ${literal(likeEscape(v) + '%')} ESCAPE '\\'`));
    case 'suffix':
      return orJoin(m.values.map((v) => `${col} LIKE ${literal('%' + likeEscape(v))} ESCAPE '\\'`));
    case 'wildcard':
      return orJoin(m.values.map((v) => `${col} LIKE ${literal(v.split('*').map(likeEscape).join('%'))} ESCAPE '\\'`));
    case 'notWildcard':
      // NOT LIKE on NULL is NULL: an absent field is left out, as in the other renderers.
      return `(${m.values.map((v) => `${col} NOT LIKE ${literal(v.split('*').map(likeEscape).join('%'))} ESCAPE '\\'`).join(' AND ')})`;
    case 'regex':
      // regexp_like is an unanchored search in Athena (Trino) and CloudTrail Lake, like CloudWatch's %regex%.
      return orJoin(m.values.map((v) => `regexp_like(${col}, ${literal(v)})`));
    case 'notRegex':
      // NOT on NULL is NULL: an absent field is left out, as in the other renderers.
      return `(${m.values.map((v) => `NOT regexp_like(${col}, ${literal(v)})`).join(' AND ')})`;
  }
}

function orJoin(parts: string[]): string {
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** The SQL expression of a CloudTrail field. */
function column(field: FieldPath, dialect: SqlDialect, presence: boolean): string {
  const [head, ...rest] = field;
  const lake = dialect === 'cloudtrail-lake';
  const name = lake ? head : head.toLowerCase();
  if (rest.length === 0) return checkIdent(name);
  if (DOCUMENT_FIELDS.has(head)) {
    if (lake) return `element_at(${name}, ${literal(rest.join('.'))})`;
    // json_extract_scalar is NULL for objects and arrays; presence tests must see those too.
    return `${presence ? 'json_extract' : 'json_extract_scalar'}(${name}, ${literal('$.' + rest.join('.'))})`;
  }
  if (STRUCT_FIELDS.has(head)) return [name, ...rest.map((r) => checkIdent(lake ? r : r.toLowerCase()))].join('.');
  throw new Error(`no SQL column for the CloudTrail field ${field.join('.')}`);
}

function checkIdent(s: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`not a plain SQL identifier: ${s}`);
  return s;
}

function likeEscape(v: string): string {
  return v.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function sqlString(v: string): string {
  return v.replace(/'/g, "''");
}

function literal(v: string): string {
  return `'${sqlString(v)}'`;
}
