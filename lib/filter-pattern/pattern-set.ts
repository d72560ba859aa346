/**
 * Many filter patterns compiled into one matcher, so that testing an event against a hundred
 * detections costs about what testing it against the few it can reach does (the idea of AWS's
 * EventBridge matcher, aws/event-ruler: match on the values rules require, not rule by rule).
 *
 * - Keys. Three fields are read first from every event: `eventSource`, `eventName` and
 *   `userIdentity.type` (present in every CloudTrail record, few distinct values, and what most
 *   detections pin: the service and call, or the kind of principal, as root-usage detections do).
 *   Everything below is worked out once per distinct combination of their texts and remembered.
 * - Index. Each JSON pattern is read for what it requires of each key: a set of exact values and
 *   prefixes (`= "Create*"`) the field must hold for the pattern to be true at all (`&&` takes the
 *   tightest operand's, `||` the union of all operands', anything else requires nothing). A key
 *   combination only reaches the patterns that admit all three of its values. Term and
 *   space-delimited patterns are reached by every event.
 * - Partial evaluation. For a key combination, every string or regex comparison on a key field in a
 *   reached pattern has a known answer; the pattern is simplified with those answers (`&&` with a
 *   false operand is false, a true operand drops out). A pattern that becomes false is not
 *   reached; one that becomes true matches without a test; what remains is compiled and evaluated
 *   per event (`$.eventSource = "iam.amazonaws.com" && ($.eventName = "A" || ... 20 more)` costs
 *   nothing per event once the combination is known). Residues are shared per pattern.
 * - Shared lookups. Selectors are nodes of one path trie (`$.userIdentity` is read once for
 *   `$.userIdentity.arn` and `$.userIdentity.type`), each resolved at most once per event; term
 *   and delimited patterns share one `JSON.stringify` of the event.
 * - Same semantics. Every comparison is compiled by compile.ts (`compileJsonExpr` with the shared
 *   getters, `compileScalarTest` for the answers known per key combination; `matches` on the text
 *   for the others), and only a comparison's own answer is ever replaced: `matchEvent` answers what
 *   `compileFilterPattern(p).matchesEvent(event)` does, for every pattern (a property test checks
 *   it). Numeric comparisons and checks (`IS NULL`, `NOT EXISTS`) on key fields stay per event: a
 *   key's text does not tell a missing field from a null one, nor "5" from 5 for a number test.
 */
import type { JsonComparison, JsonExpr } from './ast';
import { compileFilterPattern, compileJsonExpr, compileScalarTest, isJsonObject, step, type SelectorLookup } from './compile';
import { parseFilterPattern } from './parser';

export interface PatternSet {
  /** How many patterns the set holds (indices are positions in the list given). */
  readonly size: number;
  /**
   * Writes the indices of the patterns the event matches into `out` (at least `size` long), in
   * ascending order, and returns how many there are. Allocates nothing once the event's key
   * combination (eventSource, eventName, userIdentity.type) has been seen.
   */
  matchEvent(event: unknown, out: Int32Array): number;
  /** The patterns reached through the index (the others are evaluated for every event). */
  readonly indexed: readonly number[];
}

/** The fields patterns are indexed on and partially evaluated for: present in every CloudTrail record, with few values each. */
const KEYS: readonly (readonly string[])[] = [['eventSource'], ['eventName'], ['userIdentity', 'type']];

/** What a pattern requires of one field: any of these exact texts or prefixes; undefined for nothing. */
interface Requirement {
  readonly exact: readonly string[];
  readonly prefixes: readonly string[];
}

/** Key combinations remembered; past this (an archive of made-up names) reach is worked out per event. */
const MAX_REMEMBERED = 100_000;

const NOT_A_VALUE = Symbol('not a value node');
type Key = string | typeof NOT_A_VALUE;

/** A pattern's predicate once the keys are known: ALWAYS (true without a test) or a residual test. */
const ALWAYS = null;
type Residue = ((root: object) => boolean) | typeof ALWAYS;

/** What a key combination reaches: pattern indices (ascending) and, per index, its residue; text patterns have a text test. */
interface Reach {
  readonly ids: Int32Array;
  readonly residues: readonly Residue[];
}

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
  const asts: (JsonExpr | undefined)[] = new Array(size);
  const text: ((message: string) => boolean)[] = new Array(size);
  const requirements: (Requirement | undefined)[][] = KEYS.map(() => new Array(size));
  patterns.forEach((pattern, i) => {
    const ast = parseFilterPattern(pattern);
    if (ast.kind === 'json') {
      asts[i] = ast.expr;
      KEYS.forEach((k, f) => (requirements[f][i] = required(ast.expr, k)));
    } else {
      text[i] = compileFilterPattern(pattern).matches;
    }
  });
  const indexed = patterns.map((_, i) => i).filter((i) => asts[i] && requirements.some((r) => r[i] !== undefined));
  const residues = asts.map((expr) => (expr ? residuesOf(expr, lookup) : undefined));

  // ---- the index: per key field, exact text -> patterns, and prefixes ----
  const index = KEYS.map((_, f) => {
    const exact = new Map<string, number[]>();
    const prefixes: { prefix: string; ids: number[] }[] = [];
    const open: number[] = []; // JSON patterns that require nothing of this field
    for (let i = 0; i < size; i++) {
      if (!asts[i]) continue;
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
  const keyGetters = KEYS.map((k) => lookup(k));

  /** What an object event with these key texts reaches, each JSON pattern with its residue. */
  const admittedBy = new Uint8Array(size);
  const reachOf = (keys: readonly Key[]): Reach => {
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
    const ids: number[] = [];
    const res: Residue[] = [];
    for (let i = 0; i < size; i++) {
      if (text[i]) {
        ids.push(i);
        res.push(ALWAYS); // unused: text patterns are tested on the text
      } else if (admittedBy[i] === all) {
        const r = residues[i]!(keys);
        if (r === false) continue;
        ids.push(i);
        res.push(r === true ? ALWAYS : r);
      }
    }
    return { ids: Int32Array.from(ids), residues: res };
  };

  const remembered = new Map<Key, Map<Key, Map<Key, Reach>>>();
  let rememberedCount = 0;
  const keys: Key[] = new Array(KEYS.length);
  const keyText = (v: unknown): Key => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : NOT_A_VALUE);
  const reach = (root: object): Reach => {
    const source = keyText(keyGetters[0](root));
    const name = keyText(keyGetters[1](root));
    const principal = keyText(keyGetters[2](root));
    let byName = remembered.get(source);
    let byPrincipal = byName?.get(name);
    let found = byPrincipal?.get(principal);
    if (found) return found;
    keys[0] = source;
    keys[1] = name;
    keys[2] = principal;
    found = reachOf(keys);
    if (rememberedCount < MAX_REMEMBERED) {
      if (!byName) remembered.set(source, (byName = new Map()));
      if (!byPrincipal) byName.set(name, (byPrincipal = new Map()));
      byPrincipal.set(principal, found);
      rememberedCount++;
    }
    return found;
  };

  const textIds = patterns.map((_, i) => i).filter((i) => text[i]);
  const onlyText: Reach = { ids: Int32Array.from(textIds), residues: textIds.map(() => ALWAYS) };
  return {
    size,
    indexed,
    matchEvent(e: unknown, out: Int32Array): number {
      if (++event === Number.MAX_SAFE_INTEGER) {
        event = 0;
        stamps.fill(-1);
      }
      const { ids, residues: tests } = isJsonObject(e) ? reach(e) : onlyText;
      let n = 0;
      let message: string | undefined;
      for (let c = 0; c < ids.length; c++) {
        const i = ids[c];
        const t = text[i];
        if (t) {
          // CloudWatch Logs receives a CloudTrail record as its compact JSON text.
          message ??= JSON.stringify(e) ?? '';
          if (message !== '' && t(message)) out[n++] = i;
        } else {
          const test = tests[c];
          if (test === ALWAYS || test(e as object)) out[n++] = i;
        }
      }
      return n;
    },
  };
}

const samePath = (a: readonly (string | number)[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The key a comparison's answer depends on alone (a string or regex comparison on a key field), or -1. */
function keyOf(c: JsonComparison): number {
  if (c.value.type === 'number') return -1;
  return KEYS.findIndex((k) => samePath(c.selector.path, k));
}

/**
 * A pattern's residue for given key texts: true, false, or the predicate left once its key
 * comparisons are answered. Residues are compiled once per distinct set of answers (a pattern's
 * "signature") and shared by every key combination that gives the same answers.
 */
function residuesOf(expr: JsonExpr, lookup: SelectorLookup): (keys: readonly Key[]) => Residue | boolean {
  const folded: { key: number; test: (v: string) => boolean }[] = [];
  const visit = (e: JsonExpr): void => {
    if (e.type === 'group') visit(e.expr);
    else if (e.type === 'and' || e.type === 'or') e.operands.forEach(visit);
    else if (e.type === 'comparison') {
      const key = keyOf(e);
      if (key >= 0) folded.push({ key, test: compileScalarTest(e.op, e.value) });
    }
  };
  visit(expr);
  if (folded.length === 0) {
    const whole = compileJsonExpr(expr, lookup);
    return () => whole;
  }
  const bySignature = new Map<string, Residue | boolean>();
  return (keys) => {
    // Only value nodes are compared (compile.ts): a key that is not one answers false, even to !=.
    const answers = folded.map(({ key, test }) => keys[key] !== NOT_A_VALUE && test(keys[key] as string));
    const signature = answers.map((a) => (a ? '1' : '0')).join('');
    let residue = bySignature.get(signature);
    if (residue === undefined) {
      let next = 0;
      const simplified = fold(expr, (c) => (keyOf(c) >= 0 ? answers[next++] : undefined));
      residue = typeof simplified === 'boolean' ? simplified : compileJsonExpr(simplified, lookup);
      if (residue === true) residue = ALWAYS;
      bySignature.set(signature, residue);
    }
    return residue === ALWAYS ? true : residue;
  };
}

/**
 * The expression with the given comparisons' answers put in and simplified (visiting comparisons in
 * the order `residuesOf` listed them): true, false, or what is left to test.
 */
function fold(expr: JsonExpr, answer: (c: JsonComparison) => boolean | undefined): JsonExpr | boolean {
  switch (expr.type) {
    case 'group':
      return fold(expr.expr, answer);
    case 'comparison': {
      const a = answer(expr);
      return a === undefined ? expr : a;
    }
    case 'check':
      return expr;
    case 'and':
    case 'or': {
      // `&&`: a false operand decides, true ones drop out; `||` the other way round.
      const decides = expr.type === 'or';
      const left: JsonExpr[] = [];
      let decided = false;
      for (const o of expr.operands) {
        const r = fold(o, answer); // every operand is folded, so comparisons are consumed in order
        if (r === decides) decided = true;
        else if (typeof r !== 'boolean') left.push(r);
      }
      if (decided) return decides;
      if (left.length === 0) return !decides;
      return left.length === 1 ? left[0] : { type: expr.type, operands: left };
    }
  }
}

/**
 * What a JSON expression requires of a field for it to be true, or undefined when it can be true
 * whatever the field holds. Sound, not complete: only `=` with a string value without `*` (exact)
 * or with one trailing `*` (prefix) pins a field; `!=`, numbers, regexes and checks do not.
 * A JSON number's text (`String(n)`) is what a string compares with, so the key is the same text.
 */
function required(expr: JsonExpr, field: readonly string[]): Requirement | undefined {
  switch (expr.type) {
    case 'group':
      return required(expr.expr, field);
    case 'comparison': {
      if (!samePath(expr.selector.path, field) || expr.op !== '=' || expr.value.type !== 'string') return undefined;
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
