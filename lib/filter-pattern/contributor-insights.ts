/**
 * A JSON filter pattern -> the `Contribution.Filters` of a CloudWatch Contributor Insights rule,
 * or the reason it cannot be one. Contributor Insights filters are fewer and weaker than filter
 * pattern terms ("Contributor Insights rule syntax in CloudWatch",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html):
 *
 * - every filter must hold (an AND of filters; there is no OR between filters), at most 4 of them;
 * - a filter tests one field (`Match`) with one operator: `In`, `NotIn`, `StartsWith` (string
 *   lists), `GreaterThan`, `LessThan`, `EqualTo`, `NotEqualTo` (numbers), `IsPresent` (boolean);
 * - the rule groups by at most 4 `Keys`.
 *
 * So a pattern converts when it is an AND of terms where each term is one field compared with
 * exact values, prefixes, numbers or presence, and an OR appears only as alternatives of one field
 * (`($.eventName = "A") || ($.eventName = "B")` -> `In: [A, B]`). Regexes, suffixes and inner
 * wildcards, `IS TRUE` / `IS FALSE` / `IS NULL`, `>=` / `<=`, ORs across fields and array indexes
 * are refused with the reason: the rule would count other events than the pattern matches.
 *
 * A negated term (`!=`) is false on a record without the field in a filter pattern; AWS does not
 * document what `NotIn` does there, so a negated field that not every CloudTrail record carries
 * gets an `IsPresent: true` filter beside it, and the result means the same either way. Key fields
 * are present in every counted record (a record without a key value has no contributor to count
 * toward), so `(key NOT EXISTS) || (key != v)` (an exclusion's guard) is `NotIn` on the key.
 */
import type { JsonExpr, Value } from './ast';
import { parseFilterPattern } from './parser';

/** Contributor Insights: "Keys: an array of up to four log fields". */
export const CONTRIBUTOR_KEYS_MAX = 4;
/** Contributor Insights: at most four filters per rule. */
export const CONTRIBUTOR_FILTERS_MAX = 4;

export type ContributorFilter =
  | { readonly Match: string; readonly In: readonly string[] }
  | { readonly Match: string; readonly NotIn: readonly string[] }
  | { readonly Match: string; readonly StartsWith: readonly string[] }
  | { readonly Match: string; readonly GreaterThan: number }
  | { readonly Match: string; readonly LessThan: number }
  | { readonly Match: string; readonly EqualTo: number }
  | { readonly Match: string; readonly NotEqualTo: number }
  | { readonly Match: string; readonly IsPresent: boolean };

export type ContributorFiltersResult = { readonly ok: true; readonly filters: readonly ContributorFilter[] } | { readonly ok: false; readonly reason: string };

/** A dotted field path (`userIdentity.arn`) as a rule's JSON selector (`$.userIdentity.arn`). */
export const contributorSelector = (field: string): string => `$.${field}`;

class Refused extends Error {}

/**
 * The filters of a rule counting the events `pattern` matches, per `keys` (dotted field paths).
 * `alwaysPresent(field)`: the field is in every CloudTrail record (no IsPresent guard needed).
 */
export function contributorFilters(pattern: string, keys: readonly string[], alwaysPresent: (field: string) => boolean): ContributorFiltersResult {
  let ast;
  try {
    ast = parseFilterPattern(pattern);
  } catch (e) {
    return { ok: false, reason: `the pattern does not parse: ${(e as Error).message}` };
  }
  if (ast.kind !== 'json') return { ok: false, reason: 'Contributor Insights filters test JSON fields; this is not a JSON filter pattern ({ $.field = ... })' };
  const keySet = new Set(keys);
  try {
    const filters = merge(conjuncts(ast.expr).map((t) => term(t, keySet)).flat(), keySet, alwaysPresent);
    if (filters.length > CONTRIBUTOR_FILTERS_MAX) {
      return { ok: false, reason: `it needs ${filters.length} Contributor Insights filters (${filters.map((f) => f.Match).join(', ')}); a rule has at most ${CONTRIBUTOR_FILTERS_MAX}` };
    }
    return { ok: true, filters };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.message };
    throw e;
  }
}

/** The operands of the top-level AND (groups unwrapped). */
function conjuncts(e: JsonExpr): JsonExpr[] {
  const u = unwrap(e);
  return u.type === 'and' ? u.operands.flatMap(conjuncts) : [u];
}

function unwrap(e: JsonExpr): JsonExpr {
  return e.type === 'group' ? unwrap(e.expr) : e;
}

function field(path: readonly (string | number)[], text: string): string {
  if (path.some((p) => typeof p === 'number')) throw new Refused(`${text}: Contributor Insights filters cannot index arrays`);
  return (path as string[]).join('.');
}

/** One conjunct -> filters (a negation may carry its presence guard later, in merge). */
type Pending = ContributorFilter & { readonly negated?: true };

function term(e: JsonExpr, keys: ReadonlySet<string>): Pending[] {
  if (e.type === 'or') return [alternatives(e.operands.flatMap(disjuncts), keys)];
  if (e.type === 'check') {
    const f = field(e.selector.path, e.selector.text);
    if (e.check === 'NOT EXISTS') {
      if (keys.has(f)) throw new Refused(`${e.selector.text} NOT EXISTS: ${f} is a key, so every counted record has it`);
      return [{ Match: contributorSelector(f), IsPresent: false }];
    }
    throw new Refused(`${e.selector.text} ${e.check}: Contributor Insights filters have no ${e.check} test (operators: In, NotIn, StartsWith, GreaterThan, LessThan, EqualTo, NotEqualTo, IsPresent)`);
  }
  if (e.type === 'comparison') {
    const f = field(e.selector.path, e.selector.text);
    const sel = contributorSelector(f);
    const v = e.value;
    if (v.type === 'regex') throw new Refused(`${e.selector.text} ${e.op} %${v.source}%: Contributor Insights filters have no regular expressions`);
    if (v.type === 'number') {
      if (e.op === '=') return [{ Match: sel, EqualTo: v.value }];
      if (e.op === '!=') return [{ Match: sel, NotEqualTo: v.value, negated: true }];
      if (e.op === '>') return [{ Match: sel, GreaterThan: v.value }];
      if (e.op === '<') return [{ Match: sel, LessThan: v.value }];
      throw new Refused(`${e.selector.text} ${e.op} ${v.raw}: Contributor Insights filters have GreaterThan and LessThan, not ${e.op}`);
    }
    if (e.op !== '=' && e.op !== '!=') throw new Refused(`${e.selector.text} ${e.op} "${v.value}": Contributor Insights compares strings only with In, NotIn and StartsWith`);
    const s = stringTest(v, e.selector.text);
    if (e.op === '=') return [s.kind === 'any' ? { Match: sel, IsPresent: true } : s.kind === 'prefix' ? { Match: sel, StartsWith: [s.value] } : { Match: sel, In: [s.value] }];
    if (s.kind !== 'exact') throw new Refused(`${e.selector.text} != "${v.value}": Contributor Insights has no "does not start with"`);
    return [{ Match: sel, NotIn: [s.value], negated: true }];
  }
  throw new Refused('an unexpected pattern node');
}

function disjuncts(e: JsonExpr): JsonExpr[] {
  const u = unwrap(e);
  return u.type === 'or' ? u.operands.flatMap(disjuncts) : [u];
}

function stringTest(v: Extract<Value, { type: 'string' }>, where: string): { kind: 'exact' | 'prefix' | 'any'; value: string } {
  const s = v.value;
  if (s === '*') return { kind: 'any', value: '' };
  const stars = [...s].filter((c) => c === '*').length;
  if (stars === 0) return { kind: 'exact', value: s };
  if (stars === 1 && s.endsWith('*')) return { kind: 'prefix', value: s.slice(0, -1) };
  throw new Refused(`${where} = "${s}": Contributor Insights matches exact values (In) and prefixes (StartsWith), not a "*" elsewhere`);
}

/**
 * An OR: alternatives of one field, all exact (In) or all prefixes (StartsWith); or the exclusion
 * guard `(key NOT EXISTS) || (key != v)`, which on a key field is just `NotIn`.
 */
function alternatives(ops: JsonExpr[], keys: ReadonlySet<string>): Pending {
  const guard = ops.find((o) => o.type === 'check' && o.check === 'NOT EXISTS');
  if (guard && guard.type === 'check') {
    const f = field(guard.selector.path, guard.selector.text);
    const rest = ops.filter((o) => o !== guard);
    if (!keys.has(f)) throw new Refused(`(${guard.selector.text} NOT EXISTS) || ...: Contributor Insights filters cannot OR a missing field with a test (it can when ${f} is a key of the rule)`);
    const terms = rest.map((o) => term(o, keys));
    if (terms.every((t) => t.length === 1 && 'NotIn' in t[0] && t[0].Match === contributorSelector(f))) {
      return { Match: contributorSelector(f), NotIn: terms.flatMap((t) => (t[0] as { NotIn: readonly string[] }).NotIn) };
    }
    throw new Refused(`(${guard.selector.text} NOT EXISTS) || ...: only exclusions of ${f} values convert`);
  }
  const parts = ops.map((o) => {
    if (o.type !== 'comparison' || o.op !== '=' || o.value.type !== 'string') throw new Refused('an OR converts only when its alternatives compare one field with = "value" (In) or = "prefix*" (StartsWith)');
    return { f: field(o.selector.path, o.selector.text), s: stringTest(o.value, o.selector.text) };
  });
  const fields = new Set(parts.map((p) => p.f));
  if (fields.size > 1) throw new Refused(`an OR across fields (${[...fields].join(', ')}): Contributor Insights filters must all hold, so only alternatives of one field convert`);
  const kinds = new Set(parts.map((p) => p.s.kind));
  const sel = contributorSelector(parts[0].f);
  if (kinds.size === 1 && kinds.has('exact')) return { Match: sel, In: parts.map((p) => p.s.value) };
  if (kinds.size === 1 && kinds.has('prefix')) return { Match: sel, StartsWith: parts.map((p) => p.s.value) };
  throw new Refused(`${parts[0].f}: an OR of exact values and prefixes is not one Contributor Insights filter (In or StartsWith)`);
}

/**
 * Joins the NotIn filters of one field (`a != x && a != y` -> `NotIn [x, y]`) and guards each
 * negated field that records may lack and that is not a key with `IsPresent: true`.
 */
function merge(pending: Pending[], keys: ReadonlySet<string>, alwaysPresent: (field: string) => boolean): ContributorFilter[] {
  const out: ContributorFilter[] = [];
  const notIn = new Map<string, string[]>();
  const guard = new Set<string>();
  for (const p of pending) {
    const f = p.Match.slice(2);
    if (p.negated && !keys.has(f) && !alwaysPresent(f)) guard.add(p.Match);
    if ('NotIn' in p) {
      const list = notIn.get(p.Match);
      if (list) {
        list.push(...p.NotIn);
        continue;
      }
      const own = [...p.NotIn];
      notIn.set(p.Match, own);
      out.push({ Match: p.Match, NotIn: own });
      continue;
    }
    const { negated: _n, ...filter } = p;
    out.push(filter as ContributorFilter);
  }
  for (const m of guard) {
    if (!out.some((f) => f.Match === m && 'IsPresent' in f && f.IsPresent)) out.push({ Match: m, IsPresent: true });
  }
  return out;
}

/**
 * Evaluates filters on a record as Contributor Insights documents them (for tests and the
 * backtest's agreement check): every filter must hold.
 */
export function contributorFiltersMatch(filters: readonly ContributorFilter[], record: unknown): boolean {
  return filters.every((f) => {
    const v = valueAt(record, f.Match.slice(2).split('.'));
    if ('IsPresent' in f) return (v !== undefined) === f.IsPresent;
    if ('In' in f) return typeof v === 'string' && f.In.includes(v);
    if ('NotIn' in f) return v === undefined || typeof v !== 'string' || !f.NotIn.includes(v);
    if ('StartsWith' in f) return typeof v === 'string' && f.StartsWith.some((p) => v.startsWith(p));
    if (typeof v !== 'number') return 'NotEqualTo' in f && v !== undefined;
    if ('GreaterThan' in f) return v > f.GreaterThan;
    if ('LessThan' in f) return v < f.LessThan;
    if ('EqualTo' in f) return v === f.EqualTo;
    return v !== f.NotEqualTo;
  });
}

/** The value at a dotted path of a record (undefined when absent or null). */
export function valueAt(record: unknown, path: readonly string[]): unknown {
  let cur: unknown = record;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur === null ? undefined : cur;
}

/** A record's contributor: its key values (undefined when a key is missing or not a scalar: not counted). */
export function contributorOf(record: unknown, keys: readonly string[]): string | undefined {
  const values: unknown[] = [];
  for (const k of keys) {
    const v = valueAt(record, k.split('.'));
    if (v === undefined || (typeof v === 'object' && v !== null)) return undefined;
    values.push(v);
  }
  return keys.length === 1 ? String(values[0]) : JSON.stringify(values);
}

/** PutInsightRule `RuleDefinition`: 1-8192 characters (API reference, InsightRule.Definition). */
export const CONTRIBUTOR_RULE_MAX_LENGTH = 8192;

/**
 * The rule body AWS documents for a CloudWatch Logs rule: Schema CloudWatchLogRule version 1, the
 * log group, JSON log format, the keys and filters, and a count of matching events per contributor.
 */
export function contributorRuleBody(logGroupName: string, keys: readonly string[], filters: readonly ContributorFilter[]): string {
  return JSON.stringify({
    Schema: { Name: 'CloudWatchLogRule', Version: 1 },
    LogGroupNames: [logGroupName],
    LogFormat: 'JSON',
    Contribution: { Keys: keys, Filters: filters },
    AggregateOn: 'Count',
  });
}
