/**
 * npm run bench:backtest [-- --events N] [--runs R] [--sigma DIR] [--keep DIR] [--table]
 *
 * Writes a CloudTrail archive of N events (default 200,000, 500 per file) in S3 delivery layout, then
 * times, side by side in each of R rounds (default 7: this class of machine varies +-25% run to run; medians printed, each round's figures, and the range of 102 / 46):
 *   floor:  Node reading, gunzipping and JSON.parse-ing every file (one thread)
 *   jq:     `gzip -dc | jq -c '.Records[]'`, merely reading the records (first round only: it is slow)
 *   cis:    `trailwatch backtest --json` with the example config's CIS controls only (threats off)
 *   example: the example config as it is (CIS + threat detections)
 *   sigma:  the example plus every SigmaHQ rule the converter accepts from DIR (default: the shared
 *           ../shared/sigma-aws-cloudtrail beside the checkout, else the vendored vendor/sigma);
 *           rule files it refuses are left out
 * each backtest a child process (start-up included, dist/ as `npm ci` builds it) with the worker
 * threads an idle machine gets (pinned with --workers: the default drops a thread while the machine
 * looks busy, and a round run with fewer would not compare with the others), and prints one
 * JSON line: wall and CPU seconds and their ratios to the floor's; the CPU of the same backtests run
 * in this process on one thread (no start-up, no threads: what the matching itself adds to the
 * floor's work); and the peak RSS of the example's backtest on the archive and on the archive twice
 * over (memory should not grow with the archive). --table also prints the README's table.
 * Then, per config, what it costs per record once the records are in memory (`perRecord`: the
 * matcher alone and the tallying after it, best of 7 over half the archive, in this thread).
 * Last, the example's Athena period queries (lib/query/sql.ts, issue 22) with their partition
 * predicates in DuckDB over the same archive (loading it with DuckDB's JSON reader, then querying):
 * their matches must equal the local engine's, and both times are printed side by side.
 */
import { execFileSync, spawnSync } from 'child_process';
import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { gunzipSync } from 'zlib';
import { backtestFilters } from '../lib/backtest/filters';
import { defaultWorkers, runBacktest } from '../lib/backtest/run-backtest';
import { loadConfigFile } from '../lib/config/load';
import { convertSigma, readSigmaSources, renderSigma, SigmaError } from '../lib/sigma';
import { writeArchive } from '../__tests__/support/archive';
import { athenaConnection, loadArchiveTable } from '../__tests__/support/athena-table';
import { sqlDetections } from '../lib/backtest/filters';
import { periodQuery, queryParameters } from '../lib/query/sql';
import { tallyOfRows, type PeriodRow } from '../lib/backtest/athena-tally';
import { planDetections } from '../lib/monitoring/plan';
import { compilePatternSet } from '../lib/filter-pattern/pattern-set';
import { readArchive } from '../lib/backtest/archive';
import { FileEvaluator } from '../lib/backtest/evaluate';

const opts = new Command('bench:backtest')
  .option('--events <n>', 'events in the archive', (v) => parseInt(v, 10), 200_000)
  .option('--runs <n>', 'rounds (medians are printed)', (v) => parseInt(v, 10), 7)
  .option('--sigma <dir>', 'SigmaHQ CloudTrail rules (folder)')
  .option('--keep <dir>', 'write the archive here and keep it')
  .option('--table', "also print README's backtest table")
  .parse()
  .opts<{ events: number; runs: number; sigma?: string; keep?: string; table?: boolean }>();

const root = path.join(__dirname, '..');
/** The threads `backtest` starts on an idle machine of this size, passed to every child. */
const WORKERS = defaultWorkers(os.availableParallelism?.() ?? os.cpus().length, 0);
const dir = opts.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tw-bench-backtest-'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-bench-backtest-configs-'));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- the three configs ----
const example = path.join(root, 'trailwatch.yaml');
const withMonitoring = (name: string, change: (m: Record<string, unknown>) => void): string => {
  const doc = YAML.parse(fs.readFileSync(example, 'utf8')) as { monitoring: Record<string, unknown> };
  change(doc.monitoring);
  const file = path.join(work, name);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
};
const sigmaSource = opts.sigma ?? [path.join(root, '../shared/sigma-aws-cloudtrail'), path.join(root, '../../shared/sigma-aws-cloudtrail')].find((d) => fs.existsSync(d)) ?? path.join(root, 'vendor/sigma');
const accepted = acceptedSigmaRules(sigmaSource, path.join(work, 'sigma'));
if (accepted.rules < 50) {
  // The vendored rules are the few the tests need; the 100+ row needs SigmaHQ's CloudTrail set.
  process.stderr.write(`bench:backtest: only ${accepted.rules} Sigma rules in ${sigmaSource}: for the 100+ detections row pass --sigma DIR with SigmaHQ's rules/cloud/aws/cloudtrail (../shared/sigma-aws-cloudtrail beside the checkout is used when present)\n`);
}
const configs = [
  { name: 'cis', file: withMonitoring('cis.yaml', (m) => (m.threats = { ...(m.threats as object), enabled: false })) },
  { name: 'example', file: example },
  { name: 'sigma', file: withMonitoring('sigma.yaml', (m) => (m.sigma = [path.join(work, 'sigma')])) },
];

/** Copies the rule files that convert (each on its own) and render as CloudWatch patterns; returns how many rules. */
function acceptedSigmaRules(from: string, to: string): { rules: number; files: number; refusedFiles: number } {
  fs.mkdirSync(to, { recursive: true });
  let rules = 0;
  let files = 0;
  let refusedFiles = 0;
  for (const source of readSigmaSources([from])) {
    const results = convertSigma([source]);
    const ok = results.every((r) => {
      if (!r.ok) return false;
      try {
        renderSigma(r.conversion, 'cloudwatch');
        return true;
      } catch (e) {
        if (e instanceof SigmaError) return false;
        throw e;
      }
    });
    if (!ok || results.length === 0) {
      refusedFiles++;
      continue;
    }
    fs.writeFileSync(path.join(to, `${String(files++).padStart(3, '0')}-${path.basename(source.file)}`), source.text);
    rules += results.length;
  }
  return { rules, files, refusedFiles };
}

// ---- the archive ----
const archive = writeArchive(dir, { events: opts.events, eventsPerFile: 500, seed: 42 });
// the same files twice over (under two account folders): memory must not grow with the archive
const twice = path.join(work, 'twice');
for (const copy of ['a', 'b']) {
  for (const f of archive.files) {
    const to = path.join(twice, copy, path.relative(dir, f));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(f, to);
  }
}

function floorOnce(): { seconds: number; cpu: number; events: number } {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  let events = 0;
  for (const f of archive.files) events += (JSON.parse(gunzipSync(fs.readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length;
  const used = process.cpuUsage(c);
  return { seconds: seconds(t), cpu: (used.user + used.system) / 1e6, events };
}

const rssProbe = path.join(work, 'rss-probe.js');
fs.writeFileSync(
  rssProbe,
  "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.TW_BENCH_RSS, JSON.stringify({ maxRss: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 })); });\n",
);

/**
 * One `trailwatch backtest --json` child: wall seconds, CPU seconds (all threads), the report, and its
 * peak RSS in MB (worker threads included).
 */
function backtest(config: string, archiveDir: string): { seconds: number; cpu: number; events: number; filters: number; internal: number; rssMb: number } {
  const rssFile = path.join(work, 'rss');
  const t = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(root, 'bin/trailwatch.js'), 'backtest', archiveDir, '--json', '--workers', String(WORKERS), '--config', config], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${rssProbe}`, TW_BENCH_RSS: rssFile },
  });
  const wall = seconds(t);
  if (run.status !== 0) throw new Error(`trailwatch backtest --config ${config} failed: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { events: number; filters: unknown[]; seconds: number };
  const usage = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRss: number; cpu: number };
  return { seconds: wall, cpu: usage.cpu, events: report.events, filters: report.filters.length, internal: report.seconds, rssMb: usage.maxRss / 1024 };
}

/** The example's detections as Athena period queries in DuckDB over the archive: load time, query time, matches. */
async function duckdbRun(): Promise<{ loadSeconds: number; querySeconds: number; matches: Record<string, number> }> {
  const conn = await athenaConnection();
  let start = process.hrtime.bigint();
  await loadArchiveTable(conn, dir);
  const loadSeconds = seconds(start);
  const params = queryParameters(new Date('2026-09-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
  const matches: Record<string, number> = {};
  start = process.hrtime.bigint();
  for (const d of sqlDetections(planDetections((loadConfigFile(example)).monitoring))) {
    if ('skipped' in d) continue;
    const stmt = await conn.prepare(periodQuery(d.condition, { period: d.alarm.period }));
    params.forEach((p, i) => stmt.bindVarchar(i + 1, p.replace(/^'|'$/g, '')));
    matches[d.id] = tallyOfRows((await stmt.runAndReadAll()).getRowObjects() as unknown as PeriodRow[]).matches;
  }
  return { loadSeconds, querySeconds: seconds(start), matches };
}

/** Per config, per record with the records in memory (best of 7): the matcher alone, and the tallying after it. */
interface PerRecordCost {
  matcherMs: number;
  tallyMs: number;
  matches: number;
  /** Detections that pin none of the indexed keys, tested on every record. */
  alwaysTested: number;
}

/**
 * What each config costs per record once the records are in memory (best of 7, in this thread), over
 * the first half of the archive read by the backtest's own reader: the matcher alone, and the
 * backtest's own loop (FileEvaluator.evaluateRecords: matcher, then the tallies) minus the matcher.
 * What separates the configs past start-up.
 */
function perRecord(): { records: number; costs: Record<string, PerRecordCost> } {
  const records: unknown[] = [];
  const times: number[] = [];
  for (const f of archive.files.slice(0, Math.ceil(archive.files.length / 2))) {
    const read = readArchive(fs.readFileSync(f), f);
    records.push(...read.records);
    times.push(...read.times);
  }
  const bestMs = (run: () => void): number => {
    let ms = Infinity;
    for (let k = 0; k < 7; k++) {
      const t = process.hrtime.bigint();
      run();
      ms = Math.min(ms, seconds(t) * 1000);
    }
    return ms;
  };
  const costs: Record<string, PerRecordCost> = {};
  for (const c of configs) {
    const specs = backtestFilters(planDetections(loadConfigFile(c.file).monitoring));
    const set = compilePatternSet(specs.map((f) => f.pattern));
    const matched = new Int32Array(specs.length);
    let matches = 0;
    const matcherMs = bestMs(() => {
      matches = 0;
      for (const r of records) matches += set.matchEvent(r, matched);
    });
    // a fresh evaluator per round (its tallies start empty), built outside the timing
    const evaluators = Array.from({ length: 7 }, () => new FileEvaluator(specs));
    const allMs = bestMs(() => void evaluators.pop()!.evaluateRecords(records, times));
    costs[c.name] = { matcherMs: round(matcherMs, 1), tallyMs: round(allMs - matcherMs, 1), matches, alwaysTested: specs.length - set.indexed.length };
  }
  return { records: records.length, costs };
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0];
  let jq: number | null = null;
  const rounds: Record<string, number>[] = [];
  const filters: Record<string, number> = {};
  let localMatches: Record<string, number> = {};
  for (let r = 0; r < opts.runs; r++) {
    const floor = floorOnce();
    if (r === 0 && spawnSync('jq', ['--version']).status === 0) {
      const t = process.hrtime.bigint();
      execFileSync('sh', ['-c', `find "${dir}" -name '*.json.gz' -print0 | xargs -0 gzip -dc | jq -c '.Records[]' > /dev/null`]);
      jq = seconds(t);
    }
    const row: Record<string, number> = { floor: floor.seconds, floorCpu: floor.cpu };
    // Odd rounds run the configs in reverse order, so no config always follows the same one (in
    // this process each run also leaves the JIT's type feedback to the next).
    for (const c of r % 2 === 0 ? configs : [...configs].reverse()) {
      const specs = backtestFilters(planDetections((loadConfigFile(c.file)).monitoring));
      const before = process.cpuUsage();
      const local = await runBacktest(archive.files, specs, { workers: 0 });
      const used = process.cpuUsage(before);
      if (c.name === 'example') localMatches = Object.fromEntries(local.filters.map((f) => [f.name, f.matches]));
      row[`${c.name}InThreadCpuRatio`] = (used.user + used.system) / 1e6 / floor.cpu;
    }
    for (const c of r % 2 === 0 ? configs : [...configs].reverse()) {
      const b = backtest(c.file, dir);
      if (b.events !== floor.events) throw new Error(`backtest (${c.name}) read ${b.events} events, the floor ${floor.events}`);
      filters[c.name] = b.filters;
      row[c.name] = b.seconds;
      row[`${c.name}Internal`] = b.internal;
      row[`${c.name}Ratio`] = b.seconds / floor.seconds;
      row[`${c.name}Cpu`] = b.cpu;
      row[`${c.name}CpuRatio`] = b.cpu / floor.cpu;
    }
    rounds.push(row);
  }
  const med = (k: string) => round(median(rounds.map((r) => r[k])));
  const memoryWhole = backtest(example, dir).rssMb;
  const memoryTwice = backtest(example, twice).rssMb;
  const duck = await duckdbRun();
  const perRecordCosts = perRecord();
  for (const [id, n] of Object.entries(duck.matches)) if (localMatches[id] !== n) throw new Error(`${id}: DuckDB ${n} matches, local ${localMatches[id]}`);

  const result = {
    events: archive.events,
    files: archive.files.length,
    runs: opts.runs,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    /** The backtests' default worker threads when the bench started (one per idle core), and the load average then. */
    workers: WORKERS,
    loadAverage: round(loadAtStart, 1),
    filters,
    sigma: { from: sigmaSource, rules: accepted.rules, filesLeftOut: accepted.refusedFiles },
    floorSeconds: med('floor'),
    floorCpuSeconds: med('floorCpu'),
    jqSeconds: jq === null ? null : round(jq),
    jqRatio: jq === null ? null : round(jq / median(rounds.map((r) => r.floor))),
    ...Object.fromEntries(configs.flatMap((c) => [[`${c.name}Seconds`, med(c.name)], [`${c.name}InternalSeconds`, med(`${c.name}Internal`)], [`${c.name}Ratio`, med(`${c.name}Ratio`)], [`${c.name}CpuSeconds`, med(`${c.name}Cpu`)], [`${c.name}CpuRatio`, med(`${c.name}CpuRatio`)], [`${c.name}InThreadCpuRatio`, med(`${c.name}InThreadCpuRatio`)]])),
    sigmaOverExample: round(median(rounds.map((r) => r.sigma / r.example))),
    /** The lowest and highest 102 / 46 of the rounds (a shared 2-core machine varies +-15% run to run). */
    sigmaOverExampleRange: [round(Math.min(...rounds.map((r) => r.sigma / r.example))), round(Math.max(...rounds.map((r) => r.sigma / r.example)))],
    sigmaOverExampleCpu: round(median(rounds.map((r) => r.sigmaCpu / r.exampleCpu))),
    /** Each round's wall seconds: the floor and the three backtests (the medians above are of these). */
    rounds: rounds.map((r) => ({ floor: round(r.floor), cis: round(r.cis), example: round(r.example), sigma: round(r.sigma) })),
    peakRssMb: { archive: Math.round(memoryWhole), archiveTwice: Math.round(memoryTwice) },
    /** Per record, records in memory (best of 7): the matcher, and the tallying after it. */
    perRecord: perRecordCosts,
    /** The example's Athena SQL in DuckDB (issue 22): loading the archive, then the queries. */
    duckdb: { loadSeconds: round(duck.loadSeconds), querySeconds: round(duck.querySeconds), seconds: round(duck.loadSeconds + duck.querySeconds), queries: Object.keys(duck.matches).length },
  };
  process.stdout.write(JSON.stringify(result) + '\n');

  if (opts.table) {
    const r = result as unknown as Record<string, number>;
    const row = (what: string, name: string) => `| ${what} | ${r[`${name}Seconds`]} s | ${r[`${name}Ratio`]}x | ${r[`${name}CpuSeconds`]} s | ${r[`${name}CpuRatio`]}x | ${r[`${name}InThreadCpuRatio`]}x |`;
    process.stdout.write(
      [
        '| median of ' + opts.runs + ' rounds | wall | wall / floor | CPU (all threads) | CPU / floor CPU | in one thread, no start-up: CPU / floor CPU |',
        '| --- | --- | --- | --- | --- | --- |',
        `| floor: Node gunzip + \`JSON.parse\` (one thread) | ${result.floorSeconds} s | 1x | ${result.floorCpuSeconds} s | 1x | 1x |`,
        `| \`gzip -dc \\| jq -c '.Records[]'\` (first round) | ${result.jqSeconds ?? '-'} s | ${result.jqRatio ?? '-'}x | | | |`,
        row(`\`trailwatch backtest --json\`, ${filters.cis} detections (CIS only)`, 'cis'),
        row(`\`trailwatch backtest --json\`, ${filters.example} detections (the example)`, 'example'),
        row(`\`trailwatch backtest --json\`, ${filters.sigma} detections (the example + ${accepted.rules} SigmaHQ rules)`, 'sigma'),
      ].join('\n') +
        `\n| the example's Athena SQL in DuckDB (${result.duckdb.queries} queries, same matches) | ${result.duckdb.seconds} s (load ${result.duckdb.loadSeconds} s + queries ${result.duckdb.querySeconds} s) | ${round(result.duckdb.seconds / result.floorSeconds)}x | | | |` +
        `\n\n${filters.sigma} detections / ${filters.example}: ${result.sigmaOverExample}x wall (rounds: ${result.sigmaOverExampleRange.join('x to ')}x), ${result.sigmaOverExampleCpu}x CPU. Peak RSS of the example's backtest: ${result.peakRssMb.archive} MB on the archive, ${result.peakRssMb.archiveTwice} MB on the archive twice over.\n` +
        `Per record, ${result.perRecord.records} records in memory (best of 7): the matcher ${configs.map((c) => result.perRecord.costs[c.name].matcherMs).join(' / ')} ms, tallying the matches ${configs.map((c) => result.perRecord.costs[c.name].tallyMs).join(' / ')} ms (${configs.map((c) => filters[c.name]).join(' / ')} detections).\n`,
    );
  }
  if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:backtest: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
