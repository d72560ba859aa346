/**
 * Compiles a parsed pattern once into plain predicate functions: selectors become key arrays,
 * wildcards become prefix/suffix/infix tests or one RegExp, so matching allocates nothing for
 * JSON and term patterns. See README.md for the semantics chosen where the docs are silent.
 */
import type {
  ComparisonOp,
  DelimitedCondition,
  DelimitedField,
  DelimitedPatternAst,
  FilterPatternAst,
  JsonCheckKind,
  JsonExpr,
  JsonPatternAst,
  Term,
  TermsPatternAst,
  Value,
} from './ast';
import { parseFilterPattern } from './parser';
import { compileWildcard, numericText, type StringTest } from './values';

export interface MatchResult {
  readonly matched: boolean;
  /** `$name` (or `$<position>` for unnamed/ellipsis fields) to field text; `{}` unless delimited. */
  readonly extractedValues: Record<string, string>;
}

interface CompiledBase<K extends FilterPatternAst['kind'], A extends FilterPatternAst> {
  readonly kind: K;
  readonly ast: A;
  readonly pattern: string;
  matches(message: string): boolean;
  match(message: string): MatchResult;
  /**
   * Tests an already-parsed event (e.g. a CloudTrail record). JSON patterns read the object directly,
   * without serializing or re-parsing; term and delimited patterns test its compact JSON text, which
   * is what CloudWatch Logs receives for a CloudTrail record.
   */
  matchesEvent(event: unknown): boolean;
}

export type CompiledJsonPattern = CompiledBase<'json', JsonPatternAst>;
export type CompiledTermsPattern = CompiledBase<'terms', TermsPatternAst>;
export type CompiledDelimitedPattern = CompiledBase<'delimited', DelimitedPatternAst>;
export type CompiledPattern = CompiledJsonPattern | CompiledTermsPattern | CompiledDelimitedPattern;

/** Parses (throwing `FilterPatternSyntaxError`) and compiles a pattern. */
export function compileFilterPattern(pattern: string): CompiledPattern {
  const ast = parseFilterPattern(pattern);
  switch (ast.kind) {
    case 'json':
      return compileJsonPattern(ast, pattern);
    case 'terms':
      return compileTermsPattern(ast, pattern);
    case 'delimited':
      return compileDelimitedPattern(ast, pattern);
  }
}

// ---------- JSON ----------

type Pred = (root: object) => boolean;
/** What a selector resolves to when a key is absent or an index meets a non-array. */
export const MISSING: unique symbol = Symbol('missing');

/**
 * How a selector's value is read from an event. One pattern walks the path from the root each time
 * (`resolve`); a pattern set (pattern-set.ts) passes getters that share and cache lookups between
 * patterns. Either way every comparison and check below is this module's, so the semantics are one.
 */
export type SelectorLookup = (path: readonly (string | number)[]) => (root: object) => unknown;

const walkPath: SelectorLookup = (path) => (root) => resolve(root, path);

function compileJsonPattern(ast: JsonPatternAst, pattern: string): CompiledJsonPattern {
  const pred = compileJsonExpr(ast.expr, walkPath);
  // A JSON pattern only applies to events whose message is a JSON object; anything else never matches.
  const matchesEvent = (event: unknown): boolean => isJsonObject(event) && pred(event);
  const matches = (message: string): boolean => {
    if (!looksLikeObject(message)) return false;
    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      return false;
    }
    return matchesEvent(event);
  };
  return { kind: 'json', ast, pattern, matchesEvent, matches, match: (m) => ({ matched: matches(m), extractedValues: {} }) };
}

function looksLikeObject(message: string): boolean {
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b; // {
  }
  return false;
}

/** A JSON expression as a predicate on a parsed object, reading selectors through `lookup`. */
export function compileJsonExpr(expr: JsonExpr, lookup: SelectorLookup): Pred {
  switch (expr.type) {
    case 'group':
      return compileJsonExpr(expr.expr, lookup);
    case 'and': {
      const ps = expr.operands.map((e) => compileJsonExpr(e, lookup));
      const n = ps.length;
      return (root) => {
        for (let i = 0; i < n; i++) if (!ps[i](root)) return false;
        return true;
      };
    }
    case 'or': {
      const ps = expr.operands.map((e) => compileJsonExpr(e, lookup));
      const n = ps.length;
      return (root) => {
        for (let i = 0; i < n; i++) if (ps[i](root)) return true;
        return false;
      };
    }
    case 'check':
      return compileCheck(lookup(expr.selector.path), expr.check);
    case 'comparison': {
      const get = lookup(expr.selector.path);
      const test = compileScalarTest(expr.op, expr.value);
      return (root) => {
        const v = get(root);
        // Only value nodes (strings and numbers) are compared: "If a property selector points to an
        // array or object, the metric filter won't match the log format"; null, booleans and missing
        // fields are not value nodes either, so even != is false for them.
        return (typeof v === 'string' || typeof v === 'number') && test(v);
      };
    }
  }
}

function compileCheck(get: (root: object) => unknown, check: JsonCheckKind): Pred {
  switch (check) {
    case 'NOT EXISTS':
      return (root) => get(root) === MISSING;
    case 'IS NULL':
      return (root) => get(root) === null;
    case 'IS TRUE':
      return (root) => get(root) === true;
    case 'IS FALSE':
      return (root) => get(root) === false;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/** One selector step: the key's value in an object (an index's in an array), or MISSING. */
export function step(cur: unknown, k: string | number): unknown {
  if (typeof k === 'number') return Array.isArray(cur) && k < cur.length ? cur[k] : MISSING;
  return cur !== null && typeof cur === 'object' && !Array.isArray(cur) && hasOwn.call(cur, k) ? (cur as Record<string, unknown>)[k] : MISSING;
}

/** Follows pre-split keys; MISSING when a key is absent or an index meets a non-array. */
function resolve(root: object, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (let i = 0; i < path.length && cur !== MISSING; i++) cur = step(cur, path[i]);
  return cur;
}

/**
 * A comparison on one scalar: a JSON value node (string or number) or a delimited field's text.
 * Number literals compare numerically (strings count when they are exactly a NUMBER); strings and
 * regexes compare against the text (a JSON number's text is String(n)).
 */
export type ScalarTest = (v: string | number) => boolean;

export function compileScalarTest(op: ComparisonOp, value: Value): ScalarTest {
  if (value.type === 'number') {
    const n = value.value;
    const num = (v: string | number) => (typeof v === 'number' ? v : numericText(v));
    switch (op) {
      case '=':
        return (v) => num(v) === n;
      case '!=':
        return (v) => num(v) !== n; // text that is not a number (NaN) is "not equal"
      case '<':
        return (v) => num(v) < n;
      case '>':
        return (v) => num(v) > n;
      case '<=':
        return (v) => num(v) <= n;
      case '>=':
        return (v) => num(v) >= n;
    }
  }
  let test: StringTest;
  if (value.type === 'regex') {
    test = rememberedRegexTest(new RegExp(value.source));
  } else {
    test = compileWildcard(value.value);
  }
  // The parser allows only = and != with strings and regexes.
  return op === '!=' ? (v) => !test(typeof v === 'string' ? v : String(v)) : (v) => test(typeof v === 'string' ? v : String(v));
}

/** Whether a parsed event can be tested by a JSON pattern at all: only a JSON object can. */
export function isJsonObject(event: unknown): event is object {
  return event !== null && typeof event === 'object' && !Array.isArray(event);
}

/** Distinct values remembered per regex comparison before the memory is cleared and refilled. */
const REGEX_MEMORY = 4096;
/** Longer values are tested each time, so the memory stays small. */
const REGEX_MEMORY_VALUE_LENGTH = 256;

/**
 * An unanchored regex test on field values, remembering each value's answer: the same ARNs, user
 * agents and names recur in every file, and a search like `%.+:assumed-role/aws:.+%` backtracks over
 * the whole value at every start position (it was most of a backtest's time with SigmaHQ's rules).
 */
function rememberedRegexTest(re: RegExp): StringTest {
  let memory = new Map<string, boolean>();
  return (s) => {
    if (s.length > REGEX_MEMORY_VALUE_LENGTH) return re.test(s);
    const known = memory.get(s);
    if (known !== undefined) return known;
    const answer = re.test(s);
    if (memory.size >= REGEX_MEMORY) memory = new Map();
    memory.set(s, answer);
    return answer;
  };
}

function viaText(matches: (message: string) => boolean): (event: unknown) => boolean {
  return (event) => {
    const text: string | undefined = JSON.stringify(event); // undefined for undefined/functions
    return text !== undefined && matches(text);
  };
}

// ---------- terms ----------

function compileTermsPattern(ast: TermsPatternAst, pattern: string): CompiledTermsPattern {
  const matches = compileTerms(ast.terms);
  return { kind: 'terms', ast, pattern, matches, matchesEvent: viaText(matches), match: (m) => ({ matched: matches(m), extractedValues: {} }) };
}

function compileTerms(terms: readonly Term[]): (message: string) => boolean {
  if (terms.length === 1 && terms[0].type === 'regex') {
    const re = new RegExp(terms[0].source);
    return (m) => re.test(m);
  }
  // `" "` (or `""`) "matches everything" (FilterAndPatternSyntax, "Match everything"): blank terms are always present.
  const blank = (t: Term) => t.type === 'term' && t.text.trim() === '';
  const texts = (modifier: string) => terms.filter((t) => t.type === 'term' && t.modifier === modifier && !blank(t)).map((t) => (t as { text: string }).text);
  const required = texts('required');
  const excluded = texts('excluded');
  const optional = texts('optional');
  if (terms.some((t) => t.type === 'term' && t.modifier === 'excluded' && blank(t))) return () => false;
  if (terms.length > 0 && terms.every((t) => t.type === 'term' && t.modifier === 'optional')) {
    // Only ?terms: any one of them. Mixed with plain or -terms the ?terms are ignored ("If you
    // combine ? with other filter patterns, the question mark (?) will be ignored").
    if (terms.some(blank)) return () => true;
    return (m) => {
      for (let i = 0; i < optional.length; i++) if (m.includes(optional[i])) return true;
      return false;
    };
  }
  return (m) => {
    for (let i = 0; i < required.length; i++) if (!m.includes(required[i])) return false;
    for (let i = 0; i < excluded.length; i++) if (m.includes(excluded[i])) return false;
    return true;
  };
}

// ---------- space-delimited ----------

interface Slot {
  readonly ellipsis: boolean;
  /** `$name`, or undefined for an unnamed field (extracted as `$<position>`). */
  readonly key: string | undefined;
  readonly test: ScalarTest | undefined;
}

function compileDelimitedPattern(ast: DelimitedPatternAst, pattern: string): CompiledDelimitedPattern {
  const slots = ast.fields.map(compileSlot);
  const fixed = slots.filter((s) => !s.ellipsis).length;
  const ellipses = slots.length - fixed;
  const assign = new Int32Array(slots.length); // slot -> first field index, reused between calls

  /** Aligns slots to fields; ellipses take as few fields as they can, leftmost first. */
  const align = (fields: string[], si: number, fi: number): boolean => {
    if (si === slots.length) return fi === fields.length;
    const slot = slots[si];
    assign[si] = fi;
    if (slot.ellipsis) {
      for (let take = 0; fi + take <= fields.length; take++) if (align(fields, si + 1, fi + take)) return true;
      return false;
    }
    if (fi >= fields.length) return false;
    if (slot.test && !slot.test(fields[fi])) return false;
    return align(fields, si + 1, fi + 1);
  };

  const run = (message: string): string[] | undefined => {
    const fields = splitFields(message);
    if (ellipses === 0 ? fields.length !== fixed : fields.length < fixed) return undefined;
    return align(fields, 0, 0) ? fields : undefined;
  };

  const match = (message: string): MatchResult => {
    const fields = run(message);
    if (!fields) return { matched: false, extractedValues: {} };
    const names: (string | undefined)[] = new Array(fields.length).fill(undefined);
    for (let si = 0; si < slots.length; si++) if (!slots[si].ellipsis) names[assign[si]] = slots[si].key;
    const extractedValues: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) extractedValues[names[i] ?? `$${i + 1}`] = fields[i];
    return { matched: true, extractedValues };
  };

  const matches = (m: string) => run(m) !== undefined;
  return { kind: 'delimited', ast, pattern, matches, matchesEvent: viaText(matches), match };
}

function compileSlot(f: DelimitedField): Slot {
  if (f.type === 'ellipsis') return { ellipsis: true, key: undefined, test: undefined };
  return { ellipsis: false, key: f.name ? `$${f.name}` : undefined, test: f.condition ? compileCondition(f.condition) : undefined };
}

function compileCondition(c: DelimitedCondition): ScalarTest {
  switch (c.type) {
    case 'comparison':
      return compileScalarTest(c.op, c.value);
    case 'and': {
      const ts = c.operands.map(compileCondition);
      return (v) => {
        for (let i = 0; i < ts.length; i++) if (!ts[i](v)) return false;
        return true;
      };
    }
    case 'or': {
      const ts = c.operands.map(compileCondition);
      return (v) => {
        for (let i = 0; i < ts.length; i++) if (ts[i](v)) return true;
        return false;
      };
    }
  }
}

/**
 * Splits an event on runs of spaces/tabs. "The characters between a pair of square brackets [] or
 * two double quotes ("") are treated as a single field", without the brackets/quotes (the docs'
 * extracted `$timestamp` is `10/Oct/2000:13:25:15 -0700`). An unclosed one runs to the end.
 */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  const len = message.length;
  let i = 0;
  while (i < len) {
    const c = message[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"' || c === '[') {
      const close = message.indexOf(c === '"' ? '"' : ']', i + 1);
      const end = close < 0 ? len : close;
      out.push(message.slice(i + 1, end));
      i = close < 0 ? len : close + 1;
      continue;
    }
    let j = i;
    while (j < len && message[j] !== ' ' && message[j] !== '\t') j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}
