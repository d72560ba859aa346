/**
 * `synth --stacks GLOB`: which account stacks to synthesize, for pipelines that build one account
 * (or one wave) at a time. Every pattern must match at least one stack, so a typo fails loudly
 * instead of silently synthesizing nothing.
 */
import { UserError } from '../core/errors';
import { isGlob, matchNames, noMatchHint, patternError, splitPatternList } from './patterns';

/**
 * The stacks (in stack order) matched by any of `patterns`; each pattern may itself be a
 * comma-separated list (`prod-*,dev-web`; commas inside braces stay). Throws a UserError naming
 * every pattern that is invalid or matches no stack.
 */
export function selectStacks(patterns: readonly string[], stackNames: readonly string[]): string[] {
  const problems: string[] = [];
  const selected = new Set<string>();
  for (const pattern of patterns.flatMap(splitPatternList)) {
    const invalid = patternError(pattern);
    if (invalid !== undefined) {
      problems.push(`--stacks ${JSON.stringify(pattern)}: ${invalid}`);
      continue;
    }
    const matches = matchNames(pattern, stackNames);
    if (matches.length === 0) {
      const what = isGlob(pattern) ? 'matches no account stack' : 'is not an account stack';
      problems.push(`--stacks ${JSON.stringify(pattern)} ${what}${noMatchHint(pattern, stackNames)}`);
    }
    for (const m of matches) selected.add(m);
  }
  if (problems.length > 0) throw new UserError(`${problems.join('\n')}\nnothing was written`);
  return stackNames.filter((s) => selected.has(s));
}
