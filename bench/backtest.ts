/**
 * npm run bench:backtest [-- --events N]
 *
 * Writes a CloudTrail archive of N events (default 200,000) in S3 delivery layout, then times:
 *   floor:      Node reading, gunzipping and JSON.parse-ing every file (one thread)
 *   jq:         `gzip -dc | jq -c '.Records[]'`, merely reading the records
 *   trailwatch: `trailwatch backtest --json` with the example config's filters (a child process, start-up included)
 *   duckdb:     the Athena period queries (lib/query/sql.ts) of the same detections, with their partition
 *               predicates, in DuckDB over the same archive (loading it with DuckDB's JSON reader, then querying)
 * and prints one JSON line with the ratios the backtest issue sets (<= 1.5x the floor, >= 2x faster than jq),
 * and the local engine beside the SQL (issue 22): the matches of both must agree.
 */
import { execFileSync, spawnSync } from 'child_process';
import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { writeArchive } from '../__tests__/support/archive';
import { athenaConnection, loadArchiveTable } from '../__tests__/support/athena-table';
import { sqlDetections } from '../lib/backtest/filters';
import { loadConfigFile } from '../lib/config/load';
import { periodQuery, queryParameters } from '../lib/query/sql';
import { tallyOfRows, type PeriodRow } from '../lib/query/tally';

const opts = new Command('bench:backtest')
  .option('--events <n>', 'events in the archive', (v) => parseInt(v, 10), 200_000)
  .option('--keep <dir>', 'write the archive here and keep it')
  .parse()
  .opts<{ events: number; keep?: string }>();

const root = path.join(__dirname, '..');
const dir = opts.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tw-bench-backtest-'));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const archive = writeArchive(dir, { events: opts.events, eventsPerFile: 500, seed: 42 });

let t = process.hrtime.bigint();
let floorEvents = 0;
for (const f of archive.files) floorEvents += (JSON.parse(gunzipSync(fs.readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length;
const floor = seconds(t);

let jq: number | null = null;
if (spawnSync('jq', ['--version']).status === 0) {
  t = process.hrtime.bigint();
  execFileSync('sh', ['-c', `find "${dir}" -name '*.json.gz' -print0 | xargs -0 gzip -dc | jq -c '.Records[]' > /dev/null`]);
  jq = seconds(t);
}

t = process.hrtime.bigint();
const run = spawnSync(process.execPath, [path.join(root, 'bin/trailwatch.js'), 'backtest', dir, '--json', '--config', path.join(root, 'trailwatch.yaml')], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const tw = seconds(t);
if (run.status !== 0) throw new Error(`trailwatch backtest failed: ${run.stderr}`);
const report = JSON.parse(run.stdout) as { events: number; filters: unknown[]; seconds: number };
if (report.events !== floorEvents) throw new Error(`backtest read ${report.events} events, the floor ${floorEvents}`);

async function duckdbRun(): Promise<{ loadSeconds: number; querySeconds: number; matches: Record<string, number> }> {
  const conn = await athenaConnection();
  let start = process.hrtime.bigint();
  await loadArchiveTable(conn, dir);
  const loadSeconds = seconds(start);
  const params = queryParameters(new Date('2026-09-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
  const matches: Record<string, number> = {};
  start = process.hrtime.bigint();
  for (const d of sqlDetections(loadConfigFile(path.join(root, 'trailwatch.yaml')))) {
    if ('skipped' in d) continue;
    const stmt = await conn.prepare(periodQuery(d.condition, { period: d.alarm.period }));
    params.forEach((p, i) => stmt.bindVarchar(i + 1, p.replace(/^'|'$/g, '')));
    matches[d.id] = tallyOfRows((await stmt.runAndReadAll()).getRowObjects() as unknown as PeriodRow[]).matches;
  }
  return { loadSeconds, querySeconds: seconds(start), matches };
}

void duckdbRun().then((duck) => {
  const localMatches = Object.fromEntries((report.filters as { name: string; matches: number }[]).map((f) => [f.name, f.matches]));
  for (const [id, n] of Object.entries(duck.matches)) if (localMatches[id] !== n) throw new Error(`${id}: DuckDB ${n} matches, local ${localMatches[id]}`);
  process.stdout.write(
    JSON.stringify({
      events: report.events,
      files: archive.files.length,
      filters: report.filters.length,
      floorSeconds: round(floor),
      jqSeconds: jq === null ? null : round(jq),
      trailwatchSeconds: round(tw),
      trailwatchInternalSeconds: round(report.seconds),
      ratioToFloor: round(tw / floor),
      speedupOverJq: jq === null ? null : round(jq / tw),
      duckdbLoadSeconds: round(duck.loadSeconds),
      duckdbQuerySeconds: round(duck.querySeconds),
      duckdbSeconds: round(duck.loadSeconds + duck.querySeconds),
      duckdbQueries: Object.keys(duck.matches).length,
      cores: os.availableParallelism?.() ?? os.cpus().length,
    }) + '\n',
  );
  if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
});
