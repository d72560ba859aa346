/**
 * Many filter patterns compiled into one matcher, so that testing an event against a hundred
 * detections costs about what testing it against the few it can reach does (the idea of AWS's
 * EventBridge matcher, aws/event-ruler: match on the values rules require, not rule by rule).
 *
 * - Index. Each JSON pattern is read for what it requires of `eventSource` and `eventName`: a set
 *   of exact values and prefixes (`= "Create*"`) that the field must hold for the pattern to be
 *   true at all (`&&` takes the tightest operand's, `||` the union of all operands', anything else
 *   requires nothing). An event only reaches the patterns that admit both its values; the list
 *   for each (eventSource, eventName) pair is computed once, from the index, and remembered.
 *   Patterns that pin neither field, and term and space-delimited patterns, are always evaluated.
 * - Shared lookups. Selectors are nodes of one path trie (`$.userIdentity` is read once for
 *   `$.userIdentity.arn` and `$.userIdentity.type`), each resolved at most once per event; term
 *   and delimited patterns share one `JSON.stringify` of the event.
 * - Same semantics. Each pattern is still compiled by compile.ts (`compileJsonExpr` with the
 *   shared getters; `matches` on the text for the others), and the index only skips patterns that
 *   cannot be true: `matchEvent` answers what `compileFilterPattern(p).matchesEvent(event)` does,
 *   for every pattern (a property test checks it).
 */
import type { JsonExpr } from './ast';
import { compileFilterPattern, compileJsonExpr, isJsonObject, step, type SelectorLookup } from './compile';
import { parseFilterPattern } from './parser';

export interface PatternSet {
  /** How many patterns the set holds (indices are positions in the list given). */
  readonly size: number;
  /**
   * Writes the indices of the patterns the event matches into `out` (at least `size` long), in
   * ascending order, and returns how many there are. Allocates nothing once the event's
   * (eventSource, eventName) pair has been seen.
   */
  matchEvent(event: unknown, out: Int32Array): number;
  /** The patterns reached through the index (the others are evaluated for every event). */
  readonly indexed: readonly number[];
}

/** The fields patterns are indexed on: present in every CloudTrail record, and what most detections pin. */
const KEYS = ['eventSource', 'eventName'] as const;

/** What a pattern requires of one field: any of these exact texts or prefixes; undefined for nothing. */
interface Requirement {
  readonly exact: readonly string[];
  readonly prefixes: readonly string[];
}

/** Pairs remembered; past this (an archive of made-up event names) lists are computed per event. */
const MAX_REMEMBERED = 100_000;

const NOT_A_VALUE = Symbol('not a value node');
type Key = string | typeof NOT_A_VALUE;

/** Compiles the patterns (throwing `FilterPatternSyntaxError` for the first that does not parse). */
export function compilePatternSet(patterns: readonly string[]): PatternSet {
  // ---- shared, cached selector lookups: one trie node per distinct path prefix ----
  let event = 0; // current event's number: a node's cached value is valid when its stamp equals it
  const getters: ((root: object) => unknown)[] = [];
  const nodes = new Map<string, number>();
  const stamps: number[] = [];
  const values: unknown[] = [];
  const node = (path: readonly (string | number)[]): number => {
    const id = JSON.stringify(path);
    const known = nodes.get(id);
    if (known !== undefined) return known;
    const parent = path.length > 1 ? getters[node(path.slice(0, -1))] : undefined;
    const key = path[path.length - 1];
    const i = getters.length;
    stamps.push(-1);
    values.push(undefined);
    getters.push((root) => {
      if (stamps[i] === event) return values[i];
      const v = step(parent ? parent(root) : root, key);
      stamps[i] = event;
      values[i] = v;
      return v;
    });
    nodes.set(id, i);
    return i;
  };
  const lookup: SelectorLookup = (path) => getters[node(path)];

  // ---- the patterns ----
  const size = patterns.length;
  const json: ((root: object) => boolean)[] = new Array(size);
  const text: ((message: string) => boolean)[] = new Array(size);
  const requirements: (Requirement | undefined)[][] = KEYS.map(() => new Array(size));
  patterns.forEach((pattern, i) => {
    const ast = parseFilterPattern(pattern);
    if (ast.kind === 'json') {
      json[i] = compileJsonExpr(ast.expr, lookup);
      KEYS.forEach((k, f) => (requirements[f][i] = required(ast.expr, k)));
    } else {
      text[i] = compileFilterPattern(pattern).matches;
    }
  });
  const indexed = patterns.map((_, i) => i).filter((i) => json[i] && requirements.some((r) => r[i] !== undefined));

  // ---- the index: per key field, exact text -> patterns, and prefixes ----
  const index = KEYS.map((_, f) => {
    const exact = new Map<string, number[]>();
    const prefixes: { prefix: string; ids: number[] }[] = [];
    const open: number[] = []; // JSON patterns that require nothing of this field
    for (let i = 0; i < size; i++) {
      if (!json[i]) continue;
      const r = requirements[f][i];
      if (!r) {
        open.push(i);
        continue;
      }
      for (const v of r.exact) (exact.get(v) ?? exact.set(v, []).get(v)!).push(i);
      for (const p of r.prefixes) {
        const entry = prefixes.find((e) => e.prefix === p);
        if (entry) entry.ids.push(i);
        else prefixes.push({ prefix: p, ids: [i] });
      }
    }
    return { exact, prefixes, open };
  });
  const keyGetters = KEYS.map((k) => lookup([k]));
  const textIds = patterns.map((_, i) => i).filter((i) => text[i]);

  /** The patterns an object event with these key texts can match: admitted on every key field, ascending. */
  const admittedBy = new Uint8Array(size);
  const candidatesFor = (keys: readonly Key[]): Int32Array => {
    admittedBy.fill(0);
    index.forEach((ix, f) => {
      const mark = (i: number) => (admittedBy[i] |= 1 << f);
      ix.open.forEach(mark);
      const k = keys[f];
      if (k === NOT_A_VALUE) return; // an = on the field is false for a missing, null, boolean, object or array
      ix.exact.get(k)?.forEach(mark);
      for (const p of ix.prefixes) if (k.startsWith(p.prefix)) p.ids.forEach(mark);
    });
    const all = (1 << KEYS.length) - 1;
    const out: number[] = [];
    for (let i = 0; i < size; i++) if (text[i] || admittedBy[i] === all) out.push(i);
    return Int32Array.from(out);
  };

  const remembered = new Map<Key, Map<Key, Int32Array>>();
  let rememberedCount = 0;
  const keyText = (v: unknown): Key => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : NOT_A_VALUE);
  const candidates = (root: object): Int32Array => {
    const source = keyText(keyGetters[0](root));
    const name = keyText(keyGetters[1](root));
    let byName = remembered.get(source);
    let list = byName?.get(name);
    if (list) return list;
    list = candidatesFor([source, name]);
    if (rememberedCount < MAX_REMEMBERED) {
      if (!byName) remembered.set(source, (byName = new Map()));
      byName.set(name, list);
      rememberedCount++;
    }
    return list;
  };

  const onlyText = Int32Array.from(textIds);
  return {
    size,
    indexed,
    matchEvent(e: unknown, out: Int32Array): number {
      if (++event === Number.MAX_SAFE_INTEGER) {
        event = 0;
        stamps.fill(-1);
      }
      const isObject = isJsonObject(e);
      const list = isObject ? candidates(e) : onlyText;
      let n = 0;
      let message: string | undefined;
      for (let c = 0; c < list.length; c++) {
        const i = list[c];
        const t = text[i];
        if (t) {
          // CloudWatch Logs receives a CloudTrail record as its compact JSON text.
          message ??= JSON.stringify(e) ?? '';
          if (message !== '' && t(message)) out[n++] = i;
        } else if (json[i]((e as object))) out[n++] = i;
      }
      return n;
    },
  };
}

/**
 * What a JSON expression requires of a top-level field for it to be true, or undefined when it can
 * be true whatever the field holds. Sound, not complete: only `=` with a string value without `*`
 * (exact) or with one trailing `*` (prefix) pins a field; `!=`, numbers, regexes and checks do not.
 * A JSON number's text (`String(n)`) is what a string compares with, so the key is the same text.
 */
function required(expr: JsonExpr, field: string): Requirement | undefined {
  switch (expr.type) {
    case 'group':
      return required(expr.expr, field);
    case 'comparison': {
      const p = expr.selector.path;
      if (p.length !== 1 || p[0] !== field || expr.op !== '=' || expr.value.type !== 'string') return undefined;
      const v = expr.value.value;
      const star = v.indexOf('*');
      if (star < 0) return { exact: [v], prefixes: [] };
      if (star === v.length - 1 && star > 0) return { exact: [], prefixes: [v.slice(0, -1)] };
      return undefined;
    }
    case 'check':
      return undefined;
    case 'and': {
      // Every operand must hold: any one's requirement is the expression's; take the narrowest.
      let best: Requirement | undefined;
      for (const o of expr.operands) {
        const r = required(o, field);
        if (r && (!best || narrowness(r) < narrowness(best))) best = r;
      }
      return best;
    }
    case 'or': {
      // Any operand may hold: the expression requires only what every operand admits together.
      const exact: string[] = [];
      const prefixes: string[] = [];
      for (const o of expr.operands) {
        const r = required(o, field);
        if (!r) return undefined;
        exact.push(...r.exact);
        prefixes.push(...r.prefixes);
      }
      return { exact: [...new Set(exact)], prefixes: [...new Set(prefixes)] };
    }
  }
}

/** Prefixes admit more than exact values; fewer values admit less. */
const narrowness = (r: Requirement) => r.exact.length + 1000 * r.prefixes.length;
