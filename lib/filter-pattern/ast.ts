/**
 * The syntax tree of a CloudWatch Logs filter pattern. Plain data (no positions) so that
 * parse(print(ast)) deep-equals ast; source columns live in a side table (see `columnOf`).
 */

/** A comparison value. Strings may hold `*` wildcards; quoting is not kept (it changes nothing once typed). */
export type Value =
  | { readonly type: 'string'; readonly value: string }
  /** An unquoted number literal; `raw` keeps its spelling (`+1000`, `10e-3`). */
  | { readonly type: 'number'; readonly raw: string; readonly value: number }
  /** `%regex%`: unanchored search, like the standalone regex pattern. */
  | { readonly type: 'regex'; readonly source: string };

export type ComparisonOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

// ---- JSON patterns: { $.a.b[0] = "x" && ... } ----

/** `$.a.b[0]`: `path` is the pre-split key/index list, `text` the canonical spelling. */
export interface Selector {
  readonly text: string;
  readonly path: readonly (string | number)[];
}

export interface JsonComparison {
  readonly type: 'comparison';
  readonly selector: Selector;
  readonly op: ComparisonOp;
  readonly value: Value;
}

export type JsonCheckKind = 'IS NULL' | 'NOT EXISTS' | 'IS TRUE' | 'IS FALSE';

export interface JsonCheck {
  readonly type: 'check';
  readonly selector: Selector;
  readonly check: JsonCheckKind;
}

/** Explicit parentheses in the source; kept so linters can tell `a || b && c` from `a || (b && c)`. */
export interface JsonGroup {
  readonly type: 'group';
  readonly expr: JsonExpr;
}

/** n-ary; operands are never themselves an unparenthesized node of the same type. */
export interface JsonAnd {
  readonly type: 'and';
  readonly operands: readonly JsonExpr[];
}

export interface JsonOr {
  readonly type: 'or';
  readonly operands: readonly JsonExpr[];
}

export type JsonExpr = JsonOr | JsonAnd | JsonGroup | JsonComparison | JsonCheck;

export interface JsonPatternAst {
  readonly kind: 'json';
  readonly expr: JsonExpr;
}

// ---- Term (unstructured) patterns: ERROR "exact phrase" ?OPTIONAL -EXCLUDED, or %regex% ----

export type TermModifier = 'required' | 'optional' | 'excluded';

export type Term =
  /** Substring match; a blank text (`" "`, `""`) matches every event. */
  | { readonly type: 'term'; readonly text: string; readonly modifier: TermModifier }
  /** A standalone `%regex%` pattern (only ever the sole term). */
  | { readonly type: 'regex'; readonly source: string };

export interface TermsPatternAst {
  readonly kind: 'terms';
  readonly terms: readonly Term[];
}

// ---- Space-delimited patterns: [ip, user, ..., status = 4*, size > 1000] ----

export interface DelimitedComparison {
  readonly type: 'comparison';
  /** The name written in this comparison (matches the field's name, case-insensitively). */
  readonly name: string;
  readonly op: ComparisonOp;
  readonly value: Value;
}

export type DelimitedCondition =
  | DelimitedComparison
  | { readonly type: 'and'; readonly operands: readonly DelimitedCondition[] }
  | { readonly type: 'or'; readonly operands: readonly DelimitedCondition[] };

export type DelimitedField =
  | { readonly type: 'ellipsis' }
  /** `name` is '' for an empty entry (`[a,,b]` or a trailing comma); such fields extract as `$<position>`. */
  | { readonly type: 'field'; readonly name: string; readonly condition?: DelimitedCondition };

export interface DelimitedPatternAst {
  readonly kind: 'delimited';
  readonly fields: readonly DelimitedField[];
}

export type FilterPatternAst = JsonPatternAst | TermsPatternAst | DelimitedPatternAst;
export type FilterPatternKind = FilterPatternAst['kind'];

const columns = new WeakMap<object, number>();

/** @internal the parser records where each node starts. */
export function setColumn(node: object, column: number): void {
  columns.set(node, column);
}

/**
 * 1-based source column of a node produced by `parseFilterPattern` (for `and`/`or` nodes: the
 * column of their first operator). Undefined for nodes built by hand.
 */
export function columnOf(node: object): number | undefined {
  return columns.get(node);
}
