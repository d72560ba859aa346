/**
 * The inner loop of a backtest, shared by worker threads and the in-thread path: decode files,
 * run the filters (compiled together into one pattern set) over every record, tally matches.
 */
import * as fs from 'fs';
import { compilePatternSet, type PatternSet } from '../filter-pattern';
import { contributorOf } from '../filter-pattern/contributor-insights';
import { CorruptFileError, readArchive, type UnreadableRecord } from './archive';
import { addMatch, emptyInternedTally, matchFacts, newInterners, uninterned, type FilterTally, type InternedTally, type MatchFacts } from './stats';

export interface FilterSpec {
  readonly name: string;
  readonly pattern: string;
  /** Alarm period in seconds (matches are bucketed by it). */
  readonly period: number;
  /** Per-key detections: the dotted fields counted per (Contributor Insights keys). @default none */
  readonly per?: readonly string[];
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
  /** Per filter, keyed by the ids of `strings` (translated back by `tallies`). */
  private readonly interned: InternedTally[];
  private readonly strings = newInterners();
  /** Earliest and latest eventTime seen (epoch ms), for alarms per day. */
  readonly span: { first?: number; last?: number } = {};
  private readonly matcher: PatternSet;
  private readonly matched: Int32Array;
  private readonly facts: MatchFacts = { seconds: NaN, identity: 0, sourceIp: 0, eventName: 0 };
  private readonly sinceMs: number | undefined;

  constructor(private readonly filters: readonly FilterSpec[], since?: string) {
    this.interned = filters.map(() => emptyInternedTally());
    this.matcher = compilePatternSet(filters.map((f) => f.pattern));
    this.matched = new Int32Array(filters.length);
    this.sinceMs = since ? Date.parse(since) : undefined;
  }

  /** Each filter's tally of the files evaluated so far, keyed by strings (a fresh copy each call). */
  get tallies(): FilterTally[] {
    return this.interned.map((t, i) => uninterned(t, this.strings, this.filters[i].period));
  }

  evaluateFile(file: string): FileOutcome {
    let read: ReturnType<typeof readArchive>;
    try {
      read = readArchive(fs.readFileSync(file), file, this.sinceMs);
    } catch (e) {
      if (e instanceof CorruptFileError || (e as NodeJS.ErrnoException).code !== undefined) return { file, events: 0, error: (e as Error).message };
      throw e;
    }
    // The reader leaves out records before --since, lists what it could not read and gives each
    // record's eventTime (epoch ms, NaN when unusable).
    const events = this.evaluateRecords(read.records, read.times);
    return { file, events, unreadable: read.unreadable, untimed: read.untimed, beforeSince: read.beforeSince };
  }

  /** Matches and tallies records already read (`times`: each one's eventTime, epoch ms or NaN); returns how many. */
  evaluateRecords(records: readonly unknown[], times: readonly number[]): number {
    const { matcher, matched, interned: tallies, filters, strings } = this;
    for (let k = 0; k < records.length; k++) {
      const r = records[k];
      const ms = times[k];
      if (!Number.isNaN(ms)) {
        if (this.span.first === undefined || ms < this.span.first) this.span.first = ms;
        if (this.span.last === undefined || ms > this.span.last) this.span.last = ms;
      }
      const n = matcher.matchEvent(r, matched);
      if (n === 0) continue;
      const facts = matchFacts(r as { eventTime?: unknown }, ms, strings, this.facts);
      for (let j = 0; j < n; j++) {
        const f = filters[matched[j]];
        addMatch(tallies[matched[j]], facts, f.period, f.per ? contributorOf(r, f.per) : undefined);
      }
    }
    return records.length;
  }
}
