/**
 * CloudTrail records in DuckDB, in a table shaped like the standard Athena CloudTrail table
 * (`cloudtrail_logs`, lower-case columns, `useridentity` a struct, the JSON documents as text), with
 * the Presto/Athena functions the rendered SQL uses mapped onto DuckDB's. Every record also gets
 * `sample`, its index in the list given, so a test can tell which records a query matched.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const sqlText = (v: unknown) => (v === undefined || v === null ? 'NULL' : `'${String(typeof v === 'object' ? JSON.stringify(v) : v).replace(/'/g, "''")}'`);

/** Top-level record fields, as Athena's columns name them (column = lower-cased field). */
const FIELDS = [
  'eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage',
  'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID', 'eventType', 'readOnly', 'recipientAccountId',
] as const;
const IDENTITY = ['type', 'principalId', 'arn', 'accountId', 'invokedBy', 'accessKeyId', 'userName'] as const;

/** A connection to an in-memory database with the Presto/Athena functions the rendered SQL uses, mapped onto DuckDB's. */
export async function athenaConnection(): Promise<DuckDBConnection> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j::JSON, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END`);
  await conn.run(`CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`);
  await conn.run(`CREATE MACRO to_unixtime(t) AS epoch(t)`);
  await conn.run(`CREATE MACRO from_unixtime(s) AS to_timestamp(s)`);
  await conn.run(`CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)`);
  return conn;
}

/**
 * Loads an archive of `{"Records": [...]}` .json.gz files under `root` into `cloudtrail_logs` (the
 * columns athenaTable has, plus the `timestamp` partition: the yyyy/MM/dd of each file's key), with
 * DuckDB's own JSON reader: the way a bulk engine reads it.
 */
export async function loadArchiveTable(conn: DuckDBConnection, root: string): Promise<void> {
  const text = (f: string) => `json_extract_string(j, '$.${f}') AS ${f.toLowerCase()}`;
  const documents = new Set(['requestParameters', 'responseElements', 'additionalEventData']);
  const fields = FIELDS.map((f) => (documents.has(f) ? `CAST(json_extract(j, '$.${f}') AS VARCHAR) AS ${f.toLowerCase()}` : text(f)));
  const identity = `{${IDENTITY.map((f) => `'${f.toLowerCase()}': json_extract_string(j, '$.userIdentity.${f}')`).join(', ')}}`;
  await conn.run(
    `CREATE TABLE cloudtrail_logs AS SELECT 0 AS sample, CASE WHEN json_extract(j, '$.userIdentity') IS NULL THEN NULL ELSE ${identity} END AS useridentity, ${fields.join(', ')}, ` +
      `regexp_extract(filename, '/(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS "timestamp" ` +
      `FROM (SELECT unnest(Records) AS j, filename FROM read_json('${root.replace(/'/g, "''")}/**/*.json.gz', columns = {Records: 'JSON[]'}, filename = true, maximum_object_size = 1073741824))`,
  );
}

/** A connection to an in-memory database whose `cloudtrail_logs` holds `records` in order. */
export async function athenaTable(records: readonly Record<string, unknown>[]): Promise<DuckDBConnection> {
  return partitionedAthenaTable(records.map((record) => ({ record })));
}

/** The partition values of a record: what Athena projects from the key of the file it is in. */
export type Partition = Readonly<Record<string, string>>;

/**
 * Like athenaTable, with partition columns (`account`, `region`, `timestamp`: the names of
 * `partitionColumns`) holding each record's partition values.
 */
export async function partitionedAthenaTable(rows: readonly { record: Record<string, unknown>; partition?: Partition }[], partitionColumns: readonly string[] = []): Promise<DuckDBConnection> {
  const conn = await athenaConnection();
  const identity = IDENTITY.map((f) => `${f.toLowerCase()} VARCHAR`).join(', ');
  const parts = partitionColumns.map((c) => `, "${c}" VARCHAR`).join('');
  await conn.run(`CREATE TABLE cloudtrail_logs (sample INTEGER, useridentity STRUCT(${identity}), ${FIELDS.map((f) => `${f.toLowerCase()} VARCHAR`).join(', ')}${parts})`);
  for (const [i, { record: r, partition }] of rows.entries()) {
    const u = (r.userIdentity ?? {}) as Record<string, unknown>;
    const struct = `{${IDENTITY.map((f) => `'${f.toLowerCase()}': ${sqlText(u[f])}`).join(', ')}}`;
    const values = [...FIELDS.map((f) => sqlText(r[f])), ...partitionColumns.map((c) => sqlText(partition?.[c]))];
    await conn.run(`INSERT INTO cloudtrail_logs VALUES (${i}, ${struct}, ${values.join(', ')})`);
  }
  return conn;
}
