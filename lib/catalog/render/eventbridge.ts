/**
 * Condition tree -> EventBridge event pattern, for the per-account per-region detections.
 *
 * EventBridge delivers a CloudTrail record as the `detail` of an event whose `detail-type` is
 * "AWS API Call via CloudTrail" (or "AWS Console Sign In via CloudTrail"). A pattern is an AND over
 * fields and an OR over each field's list; `$or` expresses alternatives across fields. The tree is
 * brought to that shape: `any` over one field merges into the field's list, `any` across fields
 * becomes `$or`, `all` merges field maps (two tests of one field under `all` cannot be expressed
 * and are refused).
 *
 *     equals -> ["a", "b"]          notEquals -> [{"anything-but": ["a", "b"]}]
 *     prefix -> [{"prefix": "a"}]   suffix -> [{"suffix": "a"}]   wildcard -> [{"wildcard": "a*"}]
 *     notWildcard -> [{"anything-but": {"wildcard": "a*"}}] (one pattern only: several are refused)
 *     exists -> [{"exists": true}]  notExists -> [{"exists": false}]
 *
 * Semantics compared with CloudWatch filter patterns (tested on the labelled events in
 * __tests__/eventbridge/parity.test.ts):
 * - A missing field: both fail every value test, `anything-but` and `!=` included; `exists: false`
 *   and `NOT EXISTS` match. Same.
 * - An array field: EventBridge matches when any element matches; a CloudWatch selector on an
 *   array never matches. The catalog tests only scalar fields, so no control depends on it.
 * - A JSON null: EventBridge matches it only with `null` in the list (and `exists: true` holds);
 *   CloudWatch `IS NULL`. The catalog never tests for null.
 */
import { detectionCondition, isAll, isMatch, normalize } from '../condition';
import type { Condition, Control, Match } from '../types';

type Matcher = string | boolean | Record<string, unknown>;
/** One conjunction: dotted field path -> alternatives for that field. */
type FieldMap = Map<string, Matcher[]>;

export interface EventBridgePattern {
  readonly 'detail-type': readonly string[];
  readonly detail: Record<string, unknown>;
}

/**
 * Both spellings AWS documents for console sign-in events: "AWS Console Sign In via CloudTrail"
 * (CloudTrail User Guide, "CloudTrail integration with Amazon EventBridge") and "AWS Console Signin
 * via CloudTrail" (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail" and
 * "Event structure"). A pattern lists both so neither wording is missed.
 */
export const CONSOLE_SIGN_IN_DETAIL_TYPES: readonly string[] = ['AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail'];

/** True when the control matches console sign-in events (which arise in more regions than API calls). */
export function matchesConsoleSignIn(control: Control): boolean {
  return control.detailTypes.includes('AWS Console Sign In via CloudTrail');
}

/** The `detail-type` list of a control's rule: its detail-types, sign-in in every documented spelling. */
export function eventBridgeDetailTypes(control: Control): string[] {
  return control.detailTypes.flatMap((t) => (t === 'AWS Console Sign In via CloudTrail' ? [...CONSOLE_SIGN_IN_DETAIL_TYPES] : [t]));
}

/** The alarm arguments that decide whether one matching event raises the alarm. */
export interface AlarmShape {
  /** @default 1 */
  readonly threshold?: number;
  /** @default 300 */
  readonly period?: number;
  /** @default GreaterThanOrEqualToThreshold */
  readonly comparisonOperator?: string;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** M of "M out of N"; CloudWatch's default is N (every evaluated period). */
  readonly datapointsToAlarm?: number;
  /** Fields the alarm counts per (a Contributor Insights rule): it counts by definition. */
  readonly per?: string | readonly string[];
}

/**
 * Why an alarm counts (undefined when one matching event raises it). An EventBridge rule acts on
 * every single matching event and cannot count, so a detection whose alarm needs more than one
 * event (threshold above 1, or more than one breaching period: M of N with M > 1) must not become
 * an EventBridge alert: it would page on each event the alarm was tuned to tolerate. This is the
 * one test every EventBridge output applies (the per-account rules in lib/eventbridge/plan.ts,
 * `sigma convert --to eventbridge`, `npm run sigma:report`).
 */
export function alarmCountsEvents(alarm: AlarmShape | undefined): string | undefined {
  const threshold = alarm?.threshold ?? 1;
  const op = alarm?.comparisonOperator ?? 'GreaterThanOrEqualToThreshold';
  const m = alarm?.datapointsToAlarm ?? alarm?.evaluationPeriods ?? 1;
  const oneEventBreaches = (op === 'GreaterThanOrEqualToThreshold' && threshold <= 1) || (op === 'GreaterThanThreshold' && threshold < 1);
  const reasons: string[] = [];
  if (op.startsWith('Less')) reasons.push(`its alarm fires when matches fall ${op === 'LessThanThreshold' ? 'below' : 'to'} ${threshold} in ${alarm?.period ?? 300} s`);
  else if (!oneEventBreaches) reasons.push(`its alarm needs ${op === 'GreaterThanThreshold' ? 'more than' : 'at least'} ${threshold} matching events in ${alarm?.period ?? 300} s`);
  if (m > 1) reasons.push(`its alarm needs ${m} breaching periods`);
  if (alarm?.per !== undefined) reasons.push(`its alarm counts matches per ${[alarm.per].flat().join(' + ')} (Contributor Insights)`);
  return reasons.length === 0 ? undefined : `${reasons.join(' and ')}; an EventBridge rule acts on every single matching event and cannot count`;
}

/** The event pattern of a control's detection (CloudTrail management events of its detail-types). */
export function eventBridgePatternFor(control: Control): EventBridgePattern {
  return { 'detail-type': eventBridgeDetailTypes(control), detail: renderEventBridgeDetail(detectionCondition(control.detection)) };
}

/** The `detail` part of an event pattern for a condition tree. */
export function renderEventBridgeDetail(condition: Condition): Record<string, unknown> {
  const alternatives = dnf(normalize(condition));
  if (alternatives.length === 1) return nest(alternatives[0]);
  // Fields shared by every alternative stay outside `$or`; only the differing ones go in.
  const shared = new Map<string, Matcher[]>();
  for (const [field, list] of alternatives[0]) {
    if (alternatives.every((a) => a.has(field) && sameList(a.get(field)!, list))) shared.set(field, list);
  }
  const rest = alternatives.map((a) => new Map([...a].filter(([f]) => !shared.has(f))));
  if (rest.some((r) => r.size === 0)) {
    throw new Error('an alternative of this condition is implied by the others; simplify it before rendering to EventBridge');
  }
  return { ...nest(shared), $or: rest.map(nest) };
}

/** A condition EventBridge's documented pattern forms cannot express (the detection stays on CloudWatch and SQL). */
export class EventBridgeInexpressible extends Error {}

function matchers(m: Match): Matcher[] {
  switch (m.op) {
    case 'equals':
      return [...m.values];
    case 'notEquals':
      return [{ 'anything-but': [...m.values] }];
    case 'prefix':
      return m.values.map((v) => ({ prefix: v }));
    case 'suffix':
      return m.values.map((v) => ({ suffix: v }));
    case 'wildcard':
      return m.values.map((v) => ({ wildcard: v }));
    case 'notWildcard':
      // The EventBridge User Guide documents `{"anything-but": {"wildcard": "<pattern>"}}` with one
      // pattern ("Comparison operators", Anything-but using a wildcard): one value takes that form.
      // Several values (all must fail) have no documented form, and a list of matchers ORs them
      // (which would pass every event): refused, like regular expressions, so the detection stays
      // on CloudWatch and SQL instead of deploying a pattern AWS does not document.
      if (m.values.length > 1) {
        throw new EventBridgeInexpressible(`anything-but with several wildcards on ${m.field.join('.')} (${m.values.map((v) => JSON.stringify(v)).join(', ')}): the EventBridge User Guide documents anything-but wildcard with one pattern only; this detection can only be rendered to CloudWatch and SQL`);
      }
      return [{ 'anything-but': { wildcard: m.values[0] } }];
    case 'exists':
    case 'hasItems':
      // EventBridge matches an array by its items: `exists` holds when there is one.
      return [{ exists: true }];
    case 'notExists':
      return [{ exists: false }];
    case 'isTrue':
      return [true];
    case 'isFalse':
      return [false];
    case 'regex':
    case 'notRegex':
      // Content filtering offers prefix, suffix, wildcard, equals-ignore-case, anything-but, numeric,
      // IP and exists matching, no regular expressions (EventBridge User Guide, "Content filtering").
      throw new Error(`${m.op} on ${m.field.join('.')} (${m.values.map((v) => JSON.stringify(v)).join(', ')}): EventBridge event patterns have no regular expressions; this detection can only be rendered to CloudWatch and SQL`);
  }
}

/** Disjunctive normal form with per-field OR lists: the list of alternatives (each an AND over fields). */
function dnf(c: Condition): FieldMap[] {
  if (isMatch(c)) return [new Map([[c.field.join('.'), matchers(c)]])];
  if (isAll(c)) {
    let acc: FieldMap[] = [new Map()];
    for (const child of c.all) {
      const next: FieldMap[] = [];
      for (const left of acc) for (const right of dnf(child)) next.push(mergeAnd(left, right));
      acc = next;
    }
    return acc;
  }
  const alts = (c as { any: readonly Condition[] }).any.flatMap(dnf);
  // OR of alternatives that test the same single field (and agree on everything else) is one list.
  const merged: FieldMap[] = [];
  for (const alt of alts) {
    const target = merged.find((m) => differOnlyInOneSharedField(m, alt) !== undefined);
    if (target) {
      const f = differOnlyInOneSharedField(target, alt)!;
      target.set(f, [...target.get(f)!, ...alt.get(f)!]);
    } else {
      merged.push(new Map(alt));
    }
  }
  return merged;
}

function mergeAnd(a: FieldMap, b: FieldMap): FieldMap {
  const out = new Map(a);
  for (const [field, list] of b) {
    const existing = out.get(field);
    out.set(field, existing && !sameList(existing, list) ? intersect(field, existing, list) : list);
  }
  return out;
}

/**
 * Two tests of one field that must both hold. EventBridge has no AND within a field, but the
 * common cases reduce to one list: exact values minus excluded ones (an exclusion of an event name
 * the control lists), or two exclusion lists joined. Anything else is refused.
 */
function intersect(field: string, x: Matcher[], y: Matcher[]): Matcher[] {
  const plain = (l: Matcher[]) => l.every((m) => typeof m === 'string');
  const excluded = (l: Matcher[]): string[] | RegExp[] | undefined => {
    if (l.length !== 1 || typeof l[0] !== 'object') return undefined;
    const ab = (l[0] as Record<string, unknown>)['anything-but'];
    if (Array.isArray(ab)) return ab as string[];
    const raw = (ab as { wildcard?: string | string[] } | undefined)?.wildcard;
    const w = typeof raw === 'string' ? [raw] : raw;
    return w ? w.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's')) : undefined;
  };
  for (const [values, other] of [
    [x, y],
    [y, x],
  ]) {
    const ex = excluded(other);
    if (plain(values) && ex) {
      const kept = (values as string[]).filter((v) => !(ex as (string | RegExp)[]).some((e) => (typeof e === 'string' ? e === v : e.test(v))));
      if (kept.length === 0) throw new Error(`every value of ${field} is excluded: the rule would match nothing`);
      return kept;
    }
  }
  const xs = excluded(x);
  const ys = excluded(y);
  if (xs && ys && xs.every((e) => typeof e === 'string') && ys.every((e) => typeof e === 'string')) {
    return [{ 'anything-but': [...new Set([...(xs as string[]), ...(ys as string[])])] }];
  }
  throw new Error(`two tests of ${field} must both hold; an EventBridge pattern cannot express that (restructure the condition)`);
}

function differOnlyInOneSharedField(a: FieldMap, b: FieldMap): string | undefined {
  if (a.size !== b.size) return undefined;
  let diff: string | undefined;
  for (const [field, list] of a) {
    const other = b.get(field);
    if (!other) return undefined;
    if (!sameList(list, other)) {
      if (diff !== undefined) return undefined;
      diff = field;
    }
  }
  // `anything-but` lists cannot be OR-ed by concatenation (that would AND them): only plain alternatives.
  if (diff !== undefined && [...a.get(diff)!, ...b.get(diff)!].some((m) => typeof m === 'object' && ('anything-but' in m || 'exists' in m))) return undefined;
  return diff;
}

function sameList(a: Matcher[], b: Matcher[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `{"userIdentity.type": [...]}` -> `{"userIdentity": {"type": [...]}}`. */
function nest(fields: FieldMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [dotted, list] of fields) {
    const parts = dotted.split('.');
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[parts[parts.length - 1]] = list;
  }
  return out;
}
