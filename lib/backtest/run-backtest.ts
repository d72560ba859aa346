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
  readonly filters: {
    name: string;
    pattern: string;
    matches: number;
    alarms: number;
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
  if (workers <= 1) {
    const evaluator = new FileEvaluator(specs, options.since);
    for (const f of files) record(evaluator.evaluateFile(f));
    tallies = evaluator.tallies;
  } else {
    tallies = specs.map(() => emptyTally());
    const queue = [...files];
    const results = await Promise.all(
      Array.from({ length: workers }, () => drainWithWorker(queue, specs, options.since, record)),
    );
    for (const r of results) r.forEach((t, i) => mergeTally(tallies[i], deserializeTally(t)));
  }

  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  return {
    events,
    files: files.length,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    skipped,
    filters: filters.map((f, i) => {
      const t = tallies[i];
      const { alarmPeriods, episodes } = replayAlarm(t.periods, f.alarm);
      return {
        name: f.name,
        pattern: f.pattern,
        matches: t.matches,
        alarms: episodes,
        alarmPeriods,
        top: { identities: top(t.identities), sourceIps: top(t.sourceIps), eventNames: top(t.eventNames) },
      };
    }),
  };
}

function drainWithWorker(queue: string[], filters: FilterSpec[], since: string | undefined, record: (o: FileOutcome) => void): Promise<SerializedTally[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { filters, since } });
    const next = () => {
      const file = queue.shift();
      worker.postMessage(file !== undefined ? { file } : { done: true });
    };
    worker.on('message', (m: { outcome?: FileOutcome; tallies?: SerializedTally[] }) => {
      if (m.outcome) {
        record(m.outcome);
        next();
      } else if (m.tallies) {
        resolve(m.tallies);
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
