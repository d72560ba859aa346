/**
 * The inner loop of a backtest, shared by worker threads and the in-thread path: decode files,
 * run every compiled filter over every record, tally matches.
 */
import * as fs from 'fs';
import { compileFilterPattern } from '../filter-pattern';
import { CorruptFileError, readArchive, type UnreadableRecord } from './archive';
import { addMatch, emptyTally, type FilterTally } from './stats';

export interface FilterSpec {
  readonly name: string;
  readonly pattern: string;
  /** Alarm period in seconds (matches are bucketed by it). */
  readonly period: number;
}

export interface FileOutcome {
  readonly file: string;
  readonly events: number;
  /** Set when the file was skipped as corrupt or truncated. */
  readonly error?: string;
  /** Records of a readable file that could not be read (lib/backtest/archive.ts). */
  readonly unreadable?: readonly UnreadableRecord[];
  /** Records without a usable eventTime: they match, but no alarm period holds them. */
  readonly untimed?: number;
  /** Records before --since, left out. */
  readonly beforeSince?: number;
}

export class FileEvaluator {
  readonly tallies: FilterTally[];
  /** Earliest and latest eventTime seen (epoch ms), for alarms per day. */
  readonly span: { first?: number; last?: number } = {};
  private readonly matchers: ((record: unknown) => boolean)[];
  private readonly sinceMs: number | undefined;

  constructor(private readonly filters: readonly FilterSpec[], since?: string) {
    this.tallies = filters.map(() => emptyTally());
    this.matchers = filters.map((f) => {
      const compiled = compileFilterPattern(f.pattern);
      // CloudWatch Logs receives each record as its JSON text; JSON patterns can test the parsed object directly.
      return compiled.kind === 'json' ? (r: unknown) => compiled.matchesEvent(r) : (r: unknown) => compiled.matches(JSON.stringify(r));
    });
    this.sinceMs = since ? Date.parse(since) : undefined;
  }

  evaluateFile(file: string): FileOutcome {
    let read: ReturnType<typeof readArchive>;
    try {
      read = readArchive(fs.readFileSync(file), file, this.sinceMs);
    } catch (e) {
      if (e instanceof CorruptFileError || (e as NodeJS.ErrnoException).code !== undefined) return { file, events: 0, error: (e as Error).message };
      throw e;
    }
    let events = 0;
    const n = this.matchers.length;
    // The reader leaves out records before --since and lists what it could not read.
    for (const r of read.records) {
      const rec = r as { eventTime?: unknown };
      events++;
      const ms = typeof rec.eventTime === 'string' ? Date.parse(rec.eventTime) : NaN;
      if (!Number.isNaN(ms)) {
        if (this.span.first === undefined || ms < this.span.first) this.span.first = ms;
        if (this.span.last === undefined || ms > this.span.last) this.span.last = ms;
      }
      for (let i = 0; i < n; i++) if (this.matchers[i](r)) addMatch(this.tallies[i], rec, this.filters[i].period);
    }
    return { file, events, unreadable: read.unreadable, untimed: read.untimed, beforeSince: read.beforeSince };
  }
}
