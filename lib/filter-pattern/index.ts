/** CloudWatch Logs filter patterns: parse, compile, print, lint and test-metric-filter. */
export {
  columnOf,
  type ComparisonOp,
  type DelimitedComparison,
  type DelimitedCondition,
  type DelimitedField,
  type DelimitedPatternAst,
  type FilterPatternAst,
  type FilterPatternKind,
  type JsonAnd,
  type JsonCheck,
  type JsonCheckKind,
  type JsonComparison,
  type JsonExpr,
  type JsonGroup,
  type JsonOr,
  type JsonPatternAst,
  type Selector,
  type Term,
  type TermModifier,
  type TermsPatternAst,
  type Value,
} from './ast';
export { FilterPatternSyntaxError } from './errors';
export { parseFilterPattern } from './parser';
export { printFilterPattern, printJsonExpr } from './print';
export {
  compileFilterPattern,
  type CompiledDelimitedPattern,
  type CompiledJsonPattern,
  type CompiledPattern,
  type CompiledTermsPattern,
  type MatchResult,
} from './compile';
export { compilePatternSet, type PatternSet } from './pattern-set';
export { lintFilterPattern, LINT_RULES, type LintContext, type LintFinding, type LintRule } from './lint';
export { CLOUDTRAIL_TOP_LEVEL_FIELDS } from './lint-rules/unknown-cloudtrail-field';
export { MAX_PATTERN_LENGTH } from './lint-rules/too-long';
export { runTestPattern, type MetricFilterMatchRecord, type TestMetricFilterResponse } from './test-pattern';
