/**
 * Backtest: replay CloudTrail archives through the config's metric filters and alarms. Files are
 * handed one at a time to worker threads (both cores), each keeping its own tallies; the tallies are
 * merged at the end. Corrupt or truncated files are reported and skipped.
 */
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { FileEvaluator, type FileOutcome, type FilterSpec } from './evaluate';
import { deserializeTally, emptyTally, mergeTally, replayAlarm, top, type AlarmSettings, type FilterTally, type SerializedTally } from './stats';

export interface BacktestFilter extends FilterSpec {
  readonly alarm: AlarmSettings;
  /** cis, threat, sigma or custom. @default custom */
  readonly kind?: string;
  /** MITRE ATT&CK tactic and technique ids of the detection. @default none */
  readonly tactics?: readonly string[];
  readonly techniques?: readonly string[];
}

export interface BacktestOptions {
  /** Worker threads; 0 evaluates in this thread. @default min(cores, files, 4) */
  readonly workers?: number;
  /** ISO date: ignore events before it. */
  readonly since?: string;
  /** Called after each file. */
  readonly onFile?: (done: number, total: number, events: number) => void;
}

export interface BacktestReport {
  readonly events: number;
  readonly files: number;
  readonly seconds: number;
  readonly skipped: { file: string; error: string }[];
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
    top: { identities: { value: string; count: number }[]; sourceIps: { value: string; count: number }[]; eventNames: { value: string; count: number }[] };
  }[];
}

export async function runBacktest(files: readonly string[], filters: readonly BacktestFilter[], options: BacktestOptions = {}): Promise<BacktestReport> {
  const started = process.hrtime.bigint();
  const specs: FilterSpec[] = filters.map((f) => ({ name: f.name, pattern: f.pattern, period: f.alarm.period }));
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const workers = Math.min(options.workers ?? Math.min(cores, 4), files.length);
  let events = 0;
  let done = 0;
  const skipped: { file: string; error: string }[] = [];
  const record = (o: FileOutcome) => {
    events += o.events;
    done++;
    if (o.error !== undefined) skipped.push({ file: o.file, error: o.error });
    options.onFile?.(done, files.length, events);
  };

  let tallies: FilterTally[];
  const span: { first?: number; last?: number } = {};
  const widen = (s: { first?: number; last?: number }) => {
    if (s.first !== undefined && (span.first === undefined || s.first < span.first)) span.first = s.first;
    if (s.last !== undefined && (span.last === undefined || s.last > span.last)) span.last = s.last;
  };
  if (workers <= 1) {
    const evaluator = new FileEvaluator(specs, options.since);
    for (const f of files) record(evaluator.evaluateFile(f));
    tallies = evaluator.tallies;
    widen(evaluator.span);
  } else {
    tallies = specs.map(() => emptyTally());
    const queue = [...files];
    const results = await Promise.all(
      Array.from({ length: workers }, () => drainWithWorker(queue, specs, options.since, record)),
    );
    for (const r of results) {
      r.tallies.forEach((t, i) => mergeTally(tallies[i], deserializeTally(t)));
      widen(r.span);
    }
  }

  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  // A day of archive replayed counts as one even when its events span less (a one-hour file is one day's sample).
  const days = span.first === undefined || span.last === undefined ? 0 : Math.max(1, Math.ceil((span.last - span.first) / 86_400_000));
  return {
    events,
    files: files.length,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    skipped,
    days,
    filters: filters.map((f, i) => filterReport(f, tallies[i], days)),
  };
}

/** One filter's line of the report from its tally: the alarm replayed over its periods, its top lists. Shared by every engine. */
export function filterReport(f: BacktestFilter, t: FilterTally, days: number): BacktestReport['filters'][number] {
  const { alarmPeriods, episodes } = replayAlarm(t.periods, f.alarm);
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
    top: { identities: top(t.identities), sourceIps: top(t.sourceIps), eventNames: top(t.eventNames) },
  };
}

interface WorkerResult {
  readonly tallies: SerializedTally[];
  readonly span: { first?: number; last?: number };
}

function drainWithWorker(queue: string[], filters: FilterSpec[], since: string | undefined, record: (o: FileOutcome) => void): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { filters, since } });
    const next = () => {
      const file = queue.shift();
      worker.postMessage(file !== undefined ? { file } : { done: true });
    };
    worker.on('message', (m: { outcome?: FileOutcome; tallies?: SerializedTally[]; span?: WorkerResult['span'] }) => {
      if (m.outcome) {
        record(m.outcome);
        next();
      } else if (m.tallies) {
        resolve({ tallies: m.tallies, span: m.span ?? {} });
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`backtest worker exited with code ${code}`));
    });
    next();
  });
}
