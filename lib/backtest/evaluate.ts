/**
 * The inner loop of a backtest, shared by worker threads and the in-thread path: decode files,
 * run the filters (compiled together into one pattern set) over every record, tally matches.
 */
import * as fs from 'fs';
import { compilePatternSet, type PatternSet } from '../filter-pattern';
import { CorruptFileError, recordsOf } from './archive';
import { addMatch, emptyTally, matchFacts, type FilterTally, type MatchFacts } from './stats';

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
}

export class FileEvaluator {
  readonly tallies: FilterTally[];
  /** Earliest and latest eventTime seen (epoch ms), for alarms per day. */
  readonly span: { first?: number; last?: number } = {};
  private readonly matcher: PatternSet;
  private readonly matched: Int32Array;
  private readonly facts: MatchFacts = { seconds: NaN, identity: '', sourceIp: '', eventName: '' };
  private readonly sinceMs: number | undefined;

  constructor(private readonly filters: readonly FilterSpec[], since?: string) {
    this.tallies = filters.map(() => emptyTally());
    this.matcher = compilePatternSet(filters.map((f) => f.pattern));
    this.matched = new Int32Array(filters.length);
    this.sinceMs = since ? Date.parse(since) : undefined;
  }

  evaluateFile(file: string): FileOutcome {
    let records: unknown[];
    try {
      records = recordsOf(fs.readFileSync(file));
    } catch (e) {
      if (e instanceof CorruptFileError || (e as NodeJS.ErrnoException).code !== undefined) return { file, events: 0, error: (e as Error).message };
      throw e;
    }
    let events = 0;
    const { matcher, matched, tallies, filters } = this;
    for (const r of records) {
      if (r === null || typeof r !== 'object') continue;
      const rec = r as { eventTime?: unknown };
      const ms = typeof rec.eventTime === 'string' ? eventTimeMs(rec.eventTime) : NaN;
      if (this.sinceMs !== undefined && ms < this.sinceMs) continue;
      events++;
      if (!Number.isNaN(ms)) {
        if (this.span.first === undefined || ms < this.span.first) this.span.first = ms;
        if (this.span.last === undefined || ms > this.span.last) this.span.last = ms;
      }
      const n = matcher.matchEvent(r, matched);
      if (n === 0) continue;
      const facts = matchFacts(rec, ms, this.facts);
      for (let j = 0; j < n; j++) addMatch(tallies[matched[j]], facts, filters[matched[j]].period);
    }
    return { file, events };
  }
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * `Date.parse(s)`, read directly for CloudTrail's own eventTime form `YYYY-MM-DDTHH:MM:SSZ` (Date.parse
 * was a visible share of a backtest's per-event time). Anything else, and days past the 28th (where
 * Date.parse rolls over), go to Date.parse, so the answer is always Date.parse's.
 */
export function eventTimeMs(s: string): number {
  if (s.length !== 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 90) return Date.parse(s);
  const hi = two(s, 0);
  const lo = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(s);
  // days from 1970-01-01 to the civil date (H. Hinnant's days_from_civil)
  const y = hi * 100 + lo - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
}
