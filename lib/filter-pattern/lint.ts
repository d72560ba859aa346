/**
 * Lints one filter pattern. Each rule is a small pure function in lint-rules/ (one per file);
 * the pattern is parsed once and every rule sees the same result.
 */
import { FilterPatternSyntaxError } from './errors';
import { ambiguousPrecedence } from './lint-rules/ambiguous-precedence';
import { negationInOr } from './lint-rules/negation-in-or';
import { syntax } from './lint-rules/syntax';
import { tooLong } from './lint-rules/too-long';
import type { LintContext, LintFinding, LintRule } from './lint-rules/types';
import { unknownCloudTrailField } from './lint-rules/unknown-cloudtrail-field';
import { parseFilterPattern } from './parser';

export type { LintContext, LintFinding, LintRule } from './lint-rules/types';

export const LINT_RULES: readonly LintRule[] = [tooLong, syntax, ambiguousPrecedence, negationInOr, unknownCloudTrailField];

/** Findings ordered by column (findings without one first), rule order breaking ties. */
export function lintFilterPattern(pattern: string): LintFinding[] {
  let parsed: LintContext['parsed'];
  try {
    parsed = { ok: true, ast: parseFilterPattern(pattern) };
  } catch (e) {
    if (!(e instanceof FilterPatternSyntaxError)) throw e;
    parsed = { ok: false, error: e };
  }
  const ctx: LintContext = { pattern, parsed };
  return LINT_RULES.flatMap((rule) => rule.check(ctx)).sort((a, b) => (a.column ?? 0) - (b.column ?? 0));
}
