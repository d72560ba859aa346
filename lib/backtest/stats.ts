/**
 * Per-filter tallies of a backtest, mergeable across worker threads: matches, matches per alarm
 * period, and the identities, source IPs and event names behind them.
 */

import type { AlarmSettings } from '../monitoring/sql';

export type { AlarmSettings } from '../monitoring/sql';

/** `K`: how identities, source IPs and event names are keyed (strings, or an evaluator's interned ids). */
export interface Tally<K> {
  matches: number;
  /** period start (epoch seconds) -> matches in it */
  periods: Map<number, number>;
  identities: Map<K, number>;
  sourceIps: Map<K, number>;
  eventNames: Map<K, number>;
  /**
   * Per-key detections (Contributor Insights): `<period start> <contributor>` -> matches of that
   * contributor in that period. Empty for the others.
   */
  contributors: Map<string, number>;
}

export type FilterTally = Tally<string>;

export function emptyTally<K = string>(): Tally<K> {
  return { matches: 0, periods: new Map(), identities: new Map(), sourceIps: new Map(), eventNames: new Map(), contributors: new Map() };
}

const bump = (m: Map<string | number, number>, k: string | number, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

interface RecordLike {
  eventTime?: unknown;
  eventName?: unknown;
  sourceIPAddress?: unknown;
  userIdentity?: { arn?: unknown; type?: unknown; principalId?: unknown; invokedBy?: unknown } | null;
}

/**
 * Who did it: the ARN when CloudTrail has one, else `type:invokedBy`, `type:principalId` or the type.
 * The SQL renderer (catalog/render/sql.ts) computes the same expression, so counts per identity agree.
 */
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function identityOf(r: RecordLike): string {
  const u = r.userIdentity;
  if (!u || typeof u !== 'object') return 'unknown';
  const type = str(u.type);
  return str(u.arn) ?? (type && str(u.invokedBy) ? `${type}:${u.invokedBy}` : undefined) ?? (type && str(u.principalId) ? `${type}:${u.principalId}` : undefined) ?? type ?? 'unknown';
}

/**
 * The strings of one kind (identities, source IPs or event names) an evaluator's tallies are
 * keyed by, each stored once and numbered from 0. A matching event's facts are interned once,
 * however many detections it matches; each match then bumps a counter at that small integer in an
 * array (a SigmaHQ rule matching most events made per-match map updates a visible part of a
 * backtest). Ids are local to one evaluator: tallies leave it translated back to strings
 * (uninterned), so workers merge by string.
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    return id;
  }
}

/** An evaluator's interners, one per kind, so each kind's ids are dense. */
export interface Interners {
  readonly identities: Interner;
  readonly sourceIps: Interner;
  readonly eventNames: Interner;
}

export const newInterners = (): Interners => ({ identities: new Interner(), sourceIps: new Interner(), eventNames: new Interner() });

/** What the tallies record of a matching event, worked out (and interned) once per event for every detection it matches. */
export interface MatchFacts {
  /** eventTime in epoch seconds; NaN when missing or unreadable. */
  seconds: number;
  /** Interned (Interners) identity, source IP and event name. */
  identity: number;
  sourceIp: number;
  eventName: number;
}

/** Fills `into` (reused between events) with the facts of a record whose eventTime parsed to `ms`. */
export function matchFacts(r: RecordLike, ms: number, strings: Interners, into: MatchFacts): MatchFacts {
  into.seconds = Math.floor(ms / 1000);
  into.identity = strings.identities.id(identityOf(r));
  into.sourceIp = strings.sourceIps.id(typeof r.sourceIPAddress === 'string' ? r.sourceIPAddress : 'unknown');
  into.eventName = strings.eventNames.id(typeof r.eventName === 'string' ? r.eventName : 'unknown');
  return into;
}

/**
 * A FilterTally while an evaluator fills it: matches per period keyed by the period's number
 * (start / period: small integers, cheaper map keys than epoch seconds), and counts per interned
 * identity, source IP and event name in arrays indexed by id.
 */
export interface InternedTally {
  matches: number;
  periods: Map<number, number>;
  identities: number[];
  sourceIps: number[];
  eventNames: number[];
  contributors: Map<string, number>;
}

export const emptyInternedTally = (): InternedTally => ({ matches: 0, periods: new Map(), identities: [], sourceIps: [], eventNames: [], contributors: new Map() });

/**
 * Tallies one match. `contributor`: the record's key values for a per-key detection (undefined
 * when a key is missing: Contributor Insights has no contributor to count it toward).
 */
export function addMatch(t: InternedTally, f: MatchFacts, periodSeconds: number, contributor?: string): void {
  t.matches++;
  if (!Number.isNaN(f.seconds)) {
    const start = f.seconds - (f.seconds % periodSeconds);
    const n = start / periodSeconds;
    const v = t.periods.get(n);
    t.periods.set(n, v === undefined ? 1 : v + 1);
    if (contributor !== undefined) bump(t.contributors, `${start} ${contributor}`);
  }
  t.identities[f.identity] = (t.identities[f.identity] ?? 0) + 1;
  t.sourceIps[f.sourceIp] = (t.sourceIps[f.sourceIp] ?? 0) + 1;
  t.eventNames[f.eventName] = (t.eventNames[f.eventName] ?? 0) + 1;
}

/** An interned tally with its ids translated back to the strings they stand for, and its periods to their starts. */
export function uninterned(t: InternedTally, strings: Interners, periodSeconds: number): FilterTally {
  const back = (counts: readonly number[], interner: Interner) => {
    const out = new Map<string, number>();
    counts.forEach((n, id) => out.set(interner.strings[id], n)); // forEach skips ids this detection never counted
    return out;
  };
  const periods = new Map<number, number>();
  for (const [n, count] of t.periods) periods.set(n * periodSeconds, count);
  return {
    matches: t.matches,
    periods,
    identities: back(t.identities, strings.identities),
    sourceIps: back(t.sourceIps, strings.sourceIps),
    eventNames: back(t.eventNames, strings.eventNames),
    contributors: new Map(t.contributors),
  };
}

export function mergeTally(into: FilterTally, from: FilterTally): void {
  into.matches += from.matches;
  for (const [k, v] of from.periods) bump(into.periods, k, v);
  for (const [k, v] of from.identities) bump(into.identities, k, v);
  for (const [k, v] of from.sourceIps) bump(into.sourceIps, k, v);
  for (const [k, v] of from.eventNames) bump(into.eventNames, k, v);
  for (const [k, v] of from.contributors) bump(into.contributors, k, v);
}

/**
 * What the alarm of a per-key detection sees: per period, the count of its largest contributor
 * (INSIGHT_RULE_METRIC MaxContributorValue). Periods where no record had the keys have no datapoint.
 */
export function maxContributorPeriods(t: FilterTally): Map<number, number> {
  const out = new Map<number, number>();
  for (const [k, v] of t.contributors) {
    const start = Number(k.slice(0, k.indexOf(' ')));
    if (v > (out.get(start) ?? 0)) out.set(start, v);
  }
  return out;
}

/** The contributors of a per-key detection by their largest count in one period, largest first. */
export function topContributors(t: FilterTally, n = 5): { value: string; count: number }[] {
  const best = new Map<string, number>();
  for (const [k, v] of t.contributors) {
    const who = k.slice(k.indexOf(' ') + 1);
    if (v > (best.get(who) ?? 0)) best.set(who, v);
  }
  return top(best, n);
}

/**
 * A tally as it crosses a worker boundary: period starts and counts as one flat Float64Array (copied
 * as one block; a hundred detections' periods as entry arrays were a measurable part of a backtest's
 * end), the other maps as parallel key and count arrays.
 */
export type SerializedTally = {
  matches: number;
  /** [start0, count0, start1, count1, ...] */
  periods: Float64Array;
  identities: Counted;
  sourceIps: Counted;
  eventNames: Counted;
  contributors: Counted;
};
type Counted = { keys: string[]; counts: Float64Array };

const counted = (m: ReadonlyMap<string, number>): Counted => ({ keys: [...m.keys()], counts: Float64Array.from(m.values()) });
const uncounted = (c: Counted): Map<string, number> => new Map(c.keys.map((k, i) => [k, c.counts[i]]));

export function serializeTally(t: FilterTally): SerializedTally {
  const periods = new Float64Array(t.periods.size * 2);
  let i = 0;
  for (const [k, v] of t.periods) {
    periods[i++] = k;
    periods[i++] = v;
  }
  return { matches: t.matches, periods, identities: counted(t.identities), sourceIps: counted(t.sourceIps), eventNames: counted(t.eventNames), contributors: counted(t.contributors) };
}

export function deserializeTally(s: SerializedTally): FilterTally {
  const periods = new Map<number, number>();
  for (let i = 0; i < s.periods.length; i += 2) periods.set(s.periods[i], s.periods[i + 1]);
  return { matches: s.matches, periods, identities: uncounted(s.identities), sourceIps: uncounted(s.sourceIps), eventNames: uncounted(s.eventNames), contributors: uncounted(s.contributors) };
}

function breaches(value: number, a: AlarmSettings): boolean {
  switch (a.comparisonOperator) {
    case 'GreaterThanThreshold':
      return value > a.threshold;
    case 'LessThanThreshold':
      return value < a.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= a.threshold;
    default:
      return value >= a.threshold;
  }
}

/**
 * Replays the alarm over the period sums. A period without matches has no datapoint; with
 * treat_missing_data = notBreaching it counts as not breaching. The alarm is in ALARM for a period
 * when at least datapointsToAlarm of the last evaluationPeriods periods breach.
 * Returns the periods in ALARM and the episodes (OK -> ALARM transitions: the notifications sent).
 */
export function replayAlarm(periods: ReadonlyMap<number, number>, a: AlarmSettings): { alarmPeriods: number; episodes: number } {
  if (periods.size === 0) return { alarmPeriods: 0, episodes: 0 };
  const need = a.datapointsToAlarm ?? a.evaluationPeriods;
  const starts = [...periods.keys()].sort((x, y) => x - y);
  // Only periods with data and the evaluationPeriods-1 periods after each can be in ALARM.
  const candidates = new Set<number>();
  for (const s of starts) for (let i = 0; i < a.evaluationPeriods; i++) candidates.add(s + i * a.period);
  let alarmPeriods = 0;
  let episodes = 0;
  let prev: number | undefined;
  let prevAlarm = false;
  for (const t of [...candidates].sort((x, y) => x - y)) {
    let breaching = 0;
    for (let i = 0; i < a.evaluationPeriods; i++) {
      const v = periods.get(t - i * a.period);
      if (v !== undefined && breaches(v, a)) breaching++;
    }
    const inAlarm = breaching >= need;
    const contiguous = prev !== undefined && t - prev === a.period;
    if (inAlarm) {
      alarmPeriods++;
      if (!(contiguous && prevAlarm)) episodes++;
    }
    prevAlarm = inAlarm;
    prev = t;
  }
  return { alarmPeriods, episodes };
}

export function top(m: ReadonlyMap<string, number>, n = 5): { value: string; count: number }[] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([value, count]) => ({ value, count }));
}
