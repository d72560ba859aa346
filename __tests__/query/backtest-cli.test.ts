/**
 * `trailwatch backtest --engine athena`: its flag rules (fail closed, one line naming the fix), and
 * a run through the real AWS SDK client against a local HTTP endpoint speaking Athena's JSON
 * protocol (AWS_ENDPOINT_URL), whose answers are computed in DuckDB over the organization archive.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { BacktestReport } from '../../lib/backtest/run-backtest';
import { runCli, tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';
import { orgArchive, runInDuckDb } from '../support/org-archive';

const WITH_QUERY = MINIMAL_YAML.replace('accounts:\n', '  securityAccount: { id: "333333333333", name: security }\naccounts:\n') + 'trail:\n  archive:\n    query: { engine: athena }\n';

function configFile(yaml: string): string {
  const f = path.join(tempDir(), 'trailwatch.yaml');
  fs.writeFileSync(f, yaml);
  return f;
}

describe('flag rules', () => {
  test('without the query section: refused, naming the section', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-01', '--config', configFile(MINIMAL_YAML)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/backtest --engine athena queries the table trail\.archive\.query deploys; add `trail\.archive\.query: \{engine: athena\}`/);
  });

  test('--since is required: the window is never open-ended', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--config', configFile(WITH_QUERY)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs --since <date>/);
  });

  test('local-only flags and paths are refused with --engine athena', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-01', '--workers', '2', 'some/dir', '--config', configFile(WITH_QUERY)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--engine athena queries the archive where it is and reads no local files; drop some\/dir, --workers/);
  });

  test('--until and --workgroup need --engine athena', async () => {
    const r = await runCli(['backtest', 'x', '--until', '2026-11-05', '--config', configFile(WITH_QUERY)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--until needs --engine: --until bounds the window of an Athena run/);
    const local = await runCli(['backtest', 'x', '--engine', 'local', '--workgroup', 'w', '--config', configFile(WITH_QUERY)]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/--workgroup is used with --engine athena/);
  });

  test('the local gates (--expect, --fail-on-alarm, --junit) are refused with --engine athena, each named', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-01', '--fail-on-alarm', '--junit', 'j.xml', '--config', configFile(WITH_QUERY)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reads no local files; drop --fail-on-alarm, --junit/);
  });

  test('--since after --until is refused', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-05', '--until', '2026-11-01', '--config', configFile(WITH_QUERY)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--since 2026-11-05 must come before --until 2026-11-01/);
  });
});

test('an unreachable endpoint is one line naming the role and region, not a stack', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' });
  try {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-01', '--config', configFile(WITH_QUERY)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trailwatch: backtest --engine athena: (?:AWS SDK error wrapper for Error: )?connect ECONNREFUSED 127\.0\.0\.1:9 \(run it as arn:aws:iam::333333333333:role\/trailwatch-athena-query in us-east-1\)\n$/);
  } finally {
    process.env = saved;
  }
});

describe('a run through the AWS SDK against a local Athena endpoint', () => {
  let conn: DuckDBConnection;
  let local: BacktestReport;
  let server: http.Server;
  const targets: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    ({ conn, local } = await orgArchive());
    const queries = new Map<string, { rows: Record<string, unknown>[] }>();
    let started = 0;
    let duck: Promise<Record<string, unknown>[]> = Promise.resolve([]);
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', async () => {
        const target = String(req.headers['x-amz-target'] ?? '').replace('AmazonAthena.', '');
        targets.push(target);
        const input = JSON.parse(body || '{}');
        const reply = (o: unknown, status = 200) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(o));
        };
        if (target === 'StartQueryExecution') {
          if (input.WorkGroup !== 'trailwatch' || input.QueryExecutionContext?.Database !== 'trailwatch') return reply({ __type: 'InvalidRequestException', Message: 'wrong workgroup' }, 400);
          const id = `q-${++started}`;
          // One DuckDB statement at a time on the connection.
          const run = (duck = duck.then(() => runInDuckDb(conn, input.QueryString, input.ExecutionParameters)));
          queries.set(id, { rows: await run });
          return reply({ QueryExecutionId: id });
        }
        if (target === 'GetQueryExecution') {
          return reply({ QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 5_000_000_000 } } });
        }
        if (target === 'GetQueryResults') {
          const columns = ['period', 'identity', 'source_ip', 'event_name', 'matches'];
          const all = [columns, ...queries.get(input.QueryExecutionId)!.rows.map((r) => columns.map((c) => String(r[c])))];
          return reply({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: 'varchar' })) }, Rows: all.map((vs) => ({ Data: vs.map((VarCharValue) => ({ VarCharValue })) })) } });
        }
        reply({ __type: 'InvalidRequestException', Message: `unexpected ${target}` }, 400);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_REGION: 'us-east-1',
    });
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    await new Promise((r) => server.close(r));
  });

  test('--json: the local report of the same events, bytes scanned and cost per query', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-02', '--until', '2026-11-05', '--json', '--config', configFile(WITH_QUERY)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.filters.map((f: any) => ({ ...f, alarmsPerDay: undefined }))).toEqual(local.filters.map((f) => ({ ...f, alarmsPerDay: undefined })));
    expect(report.queries[0]).toMatchObject({ bytesScanned: 5_000_000_000 });
    expect(report.costUsd).toBeCloseTo(report.queries.length * (Math.ceil(5e9 / 2 ** 20) * 2 ** 20 * 5) / 2 ** 40, 9);
    expect(targets.filter((t) => t === 'StartQueryExecution')).toHaveLength(local.filters.length);
  });

  test('the text report has a line per detection with its scan and cost', async () => {
    const r = await runCli(['backtest', '--engine', 'athena', '--since', '2026-11-02', '--until', '2026-11-05', '--config', configFile(WITH_QUERY)]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Athena: \d+ queries over 3 days in [\d.]+ s, \d+\.\d\d GB scanned, \$\d+\.\d{4}$/);
    expect(r.stdout).toMatch(/root-account-usage\s+\d+\s+\d+\s+[\d.]+\s+5\.00\s+0\.0227/);
  });
});
