/**
 * Backtest: replay CloudTrail archives through the config's metric filters and alarms. Worker
 * threads (both cores) take the next file from a shared atomic counter, so none waits on the main
 * thread between files; each keeps its own tallies, merged at the end. Corrupt or truncated files
 * are reported and skipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { FileEvaluator, type FileOutcome, type FilterSpec } from './evaluate';
import { deserializeTally, emptyTally, maxContributorPeriods, mergeTally, replayAlarm, serializeTally, top, topContributors, type AlarmSettings, type FilterTally, type SerializedTally } from './stats';

export interface BacktestFilter extends FilterSpec {
  readonly alarm: AlarmSettings;
  /** cis, threat, sigma or custom. @default custom */
  readonly kind?: string;
  /** MITRE ATT&CK tactic and technique ids of the detection. @default none */
  readonly tactics?: readonly string[];
  readonly techniques?: readonly string[];
}

export interface BacktestOptions {
  /** Worker threads; 0 or 1 evaluates in this thread. @default one per idle core (see defaultWorkers), at most 4 and the file count */
  readonly workers?: number;
  /** ISO date: ignore events before it. */
  readonly since?: string;
  /** Progress: called after each file in this thread, every 100 ms with worker threads, and once at the end. */
  readonly onFile?: (done: number, total: number, events: number) => void;
}

export interface BacktestReport {
  readonly events: number;
  readonly files: number;
  readonly seconds: number;
  readonly skipped: { file: string; error: string }[];
  /** Records of readable files that could not be read (a broken CloudTrailEvent string, a bad JSON Lines line), with their position. */
  readonly unreadableRecords: { file: string; position: string; error: string }[];
  /** Events replayed without a usable eventTime: they count as matches but no alarm period holds them. */
  readonly untimed: number;
  /** Records left out because their eventTime is before --since. */
  readonly beforeSince: number;
  /** Days between the first and the last event replayed (at least 1 when there are events). */
  readonly days: number;
  readonly filters: {
    name: string;
    kind: string;
    tactics: readonly string[];
    techniques: readonly string[];
    pattern: string;
    matches: number;
    /** Notifications the alarm would have sent (OK -> ALARM transitions). */
    alarms: number;
    /** alarms / days, rounded to 2 decimals. */
    alarmsPerDay: number;
    alarmPeriods: number;
    top: {
      identities: { value: string; count: number }[];
      sourceIps: { value: string; count: number }[];
      eventNames: { value: string; count: number }[];
      /** Per-key detections: contributors by their largest count in one period. */
      contributors?: { value: string; count: number }[];
    };
    /** Per-key detections: the fields counted per. */
    per?: readonly string[];
  }[];
}

export async function runBacktest(files: readonly string[], filters: readonly BacktestFilter[], options: BacktestOptions = {}): Promise<BacktestReport> {
  const started = process.hrtime.bigint();
  const specs: FilterSpec[] = filters.map((f) => ({ name: f.name, pattern: f.pattern, period: f.alarm.period, ...(f.per ? { per: f.per } : {}) }));
  const workers = Math.min(options.workers ?? defaultWorkers(), files.length);
  const totals = newOutcomeTotals();
  let tallies: FilterTally[];
  const span: { first?: number; last?: number } = {};
  const widen = (s: { first?: number; last?: number }) => {
    if (s.first !== undefined && (span.first === undefined || s.first < span.first)) span.first = s.first;
    if (s.last !== undefined && (span.last === undefined || s.last > span.last)) span.last = s.last;
  };
  if (workers <= 1) {
    const evaluator = new FileEvaluator(specs, options.since);
    files.forEach((f, i) => {
      addOutcome(totals, evaluator.evaluateFile(f));
      options.onFile?.(i + 1, files.length, totals.events);
    });
    tallies = evaluator.tallies;
    widen(evaluator.span);
  } else {
    tallies = specs.map(() => emptyTally());
    const progress = newProgress(workers);
    const report = () => options.onFile?.(progress.done(), files.length, progress.events());
    const timer = options.onFile ? setInterval(report, 100) : undefined;
    try {
      const results = await Promise.all(Array.from({ length: workers }, (_, slot) => runWorker({ filters: specs, since: options.since, files, shared: progress.buffer, slot })));
      for (const r of results) {
        r.tallies.forEach((t, i) => mergeTally(tallies[i], deserializeTally(t)));
        widen(r.span);
        mergeOutcomeTotals(totals, r.totals);
      }
    } finally {
      if (timer) clearInterval(timer);
    }
    report();
  }

  const { events, skipped, unreadableRecords, untimed, beforeSince } = totals;
  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  // Stable: each file's records stay in file order.
  unreadableRecords.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // A day of archive replayed counts as one even when its events span less (a one-hour file is one day's sample).
  const days = span.first === undefined || span.last === undefined ? 0 : Math.max(1, Math.ceil((span.last - span.first) / 86_400_000));
  return {
    events,
    files: files.length,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    skipped,
    unreadableRecords,
    untimed,
    beforeSince,
    days,
    filters: filters.map((f, i) => filterReport(f, tallies[i], days)),
  };
}

/** One filter's line of the report from its tally: the alarm replayed over its periods, its top lists. Shared by every engine. */
export function filterReport(f: BacktestFilter, t: FilterTally, days: number): BacktestReport['filters'][number] {
  // A per-key detection's alarm watches its largest contributor per period, not the sum.
  const { alarmPeriods, episodes } = replayAlarm(f.per ? maxContributorPeriods(t) : t.periods, f.alarm);
  return {
    name: f.name,
    kind: f.kind ?? 'custom',
    tactics: f.tactics ?? [],
    techniques: f.techniques ?? [],
    pattern: f.pattern,
    matches: t.matches,
    alarms: episodes,
    alarmsPerDay: days > 0 ? Math.round((episodes / days) * 100) / 100 : 0,
    alarmPeriods,
    top: { identities: top(t.identities), sourceIps: top(t.sourceIps), eventNames: top(t.eventNames), ...(f.per ? { contributors: topContributors(t) } : {}) },
    ...(f.per ? { per: f.per } : {}),
  };
}

/**
 * One worker thread per idle core: the cores less what else is running, rounded, from 1 to 4.
 * Each worker pays its own start-up, JIT warm-up and heap (about +0.4 s CPU and +95 MB on the
 * 200,000-event benchmark); on a 2-core machine whose cores were already busy (load average 12) two
 * workers measured slower in wall time than one thread, on idle cores they split the work.
 */
export function defaultWorkers(cores = os.availableParallelism?.() ?? os.cpus().length, busy = busyElsewhere()): number {
  return Math.max(1, Math.min(4, cores, Math.round(cores - busy)));
}

/**
 * Tasks running or ready to run now besides this one: Linux's /proc/loadavg counts them in its
 * fourth field (`running/total`, this thread included). The 1-minute load average, used where
 * there is no such file, trails by minutes: after a build or a test run it still reads 1-2 on an
 * idle machine, and the backtest would then run on one core of two.
 */
export function busyElsewhere(loadavg = readLoadavg()): number {
  const runnable = loadavg === undefined ? NaN : Number(/^\S+ \S+ \S+ (\d+)\//.exec(loadavg)?.[1]);
  return Number.isFinite(runnable) ? Math.max(0, runnable - 1) : os.loadavg()[0];
}

function readLoadavg(): string | undefined {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8');
  } catch {
    return undefined;
  }
}

/** What a worker thread is started with (worker-thread.ts). */
export interface WorkerInput {
  readonly filters: FilterSpec[];
  readonly since: string | undefined;
  readonly files: readonly string[];
  /** Progress: see newProgress. */
  readonly shared: SharedArrayBuffer;
  /** This worker's place in the per-worker event counts. */
  readonly slot: number;
}

/** What a worker thread posts once, when no file is left. */
export interface WorkerResult {
  readonly tallies: SerializedTally[];
  readonly span: { first?: number; last?: number };
  readonly totals: OutcomeTotals;
}

/** What the files of a run add up to, beyond the tallies: events, skipped files, unreadable records. */
interface OutcomeTotals {
  events: number;
  skipped: { file: string; error: string }[];
  unreadableRecords: BacktestReport['unreadableRecords'];
  untimed: number;
  beforeSince: number;
}

function newOutcomeTotals(): OutcomeTotals {
  return { events: 0, skipped: [], unreadableRecords: [], untimed: 0, beforeSince: 0 };
}

function addOutcome(t: OutcomeTotals, o: FileOutcome): void {
  t.events += o.events;
  if (o.error !== undefined) t.skipped.push({ file: o.file, error: o.error });
  for (const u of o.unreadable ?? []) t.unreadableRecords.push({ file: o.file, ...u });
  t.untimed += o.untimed ?? 0;
  t.beforeSince += o.beforeSince ?? 0;
}

function mergeOutcomeTotals(t: OutcomeTotals, from: OutcomeTotals): void {
  t.events += from.events;
  t.skipped.push(...from.skipped);
  t.unreadableRecords.push(...from.unreadableRecords);
  t.untimed += from.untimed;
  t.beforeSince += from.beforeSince;
}

/**
 * The shared state of a multi-worker backtest: Int32 [next file, files done], then one Float64
 * events count per worker (written only by its worker, read for the progress bar).
 */
function newProgress(workers: number) {
  const buffer = new SharedArrayBuffer(8 + 8 * workers);
  const counters = new Int32Array(buffer, 0, 2);
  const events = new Float64Array(buffer, 8, workers);
  return { buffer, done: () => Atomics.load(counters, 1), events: () => events.reduce((a, b) => a + b, 0) };
}

/** In a worker thread: evaluates files, claiming each by incrementing the shared counter, until none is left. */
export function drainFiles(input: WorkerInput): WorkerResult {
  const counters = new Int32Array(input.shared, 0, 2);
  const events = new Float64Array(input.shared, 8, input.slot + 1);
  const evaluator = new FileEvaluator(input.filters, input.since);
  const totals = newOutcomeTotals();
  for (let i = Atomics.add(counters, 0, 1); i < input.files.length; i = Atomics.add(counters, 0, 1)) {
    addOutcome(totals, evaluator.evaluateFile(input.files[i]));
    events[input.slot] = totals.events;
    Atomics.add(counters, 1, 1);
  }
  return { tallies: evaluator.tallies.map(serializeTally), span: evaluator.span, totals };
}

function runWorker(input: WorkerInput): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: input });
    let result: WorkerResult | undefined;
    worker.on('message', (m: WorkerResult) => (result = m));
    worker.on('error', reject);
    worker.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`backtest worker exited with code ${code}${result ? '' : ' before reporting'}`))));
  });
}
