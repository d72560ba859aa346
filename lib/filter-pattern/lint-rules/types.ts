import type { FilterPatternAst } from '../ast';
import type { FilterPatternSyntaxError } from '../errors';

export interface LintFinding {
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  readonly message: string;
  /** 1-based column in the pattern, when the finding points at one place. */
  readonly column?: number;
  /**
   * An error the config may accept for one detection, by listing the detection's pattern path under
   * `acknowledge:` (a field CloudTrail writes that trailwatch does not know yet). @default false
   */
  readonly acknowledgeable?: boolean;
}

/** What every rule sees: the raw text and the result of parsing it once. */
export interface LintContext {
  readonly pattern: string;
  readonly parsed: { readonly ok: true; readonly ast: FilterPatternAst } | { readonly ok: false; readonly error: FilterPatternSyntaxError };
}

/** One pure check; returns no findings where it does not apply. */
export interface LintRule {
  readonly id: string;
  /** One sentence: what the rule finds and why it matters (SARIF's rule description). */
  readonly description: string;
  check(ctx: LintContext): LintFinding[];
}
