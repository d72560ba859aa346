/**
 * npm run bench:backtest [-- --events N]
 *
 * Writes a CloudTrail archive of N events (default 200,000) in S3 delivery layout, then times:
 *   floor:      Node reading, gunzipping and JSON.parse-ing every file (one thread)
 *   jq:         `gzip -dc | jq -c '.Records[]'`, merely reading the records
 *   trailwatch: `trailwatch backtest --json` with the example config's filters (a child process, start-up included)
 * and prints one JSON line with the ratios the backtest issue sets (<= 1.5x the floor, >= 2x faster than jq).
 */
import { execFileSync, spawnSync } from 'child_process';
import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { writeArchive } from '../__tests__/support/archive';

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
    cores: os.availableParallelism?.() ?? os.cpus().length,
  }) + '\n',
);
if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
