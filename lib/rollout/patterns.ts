/**
 * Account-name patterns: an exact account name (`prod-web`) or a glob over account names
 * (`prod-*`, `dev-{a,b}`, `team-?`), as used by `rollout.waves` and `synth --stacks`. Account names
 * are the stack names, so a pattern selects the same stacks here as in `cdktf deploy 'prod-*'`.
 * Pure: no cdktf, no config.
 */
import picomatch from 'picomatch';
import { editDistance } from '../text/edit-distance';
import { countStars, MAX_PATTERN_LENGTH, MAX_PATTERN_STARS, PATTERN_CHARACTERS } from './schema';

export { countStars, MAX_PATTERN_LENGTH, MAX_PATTERN_STARS, PATTERN_CHARACTERS } from './schema';

/** A wave of just this pattern takes every account that no earlier wave lists. */
export const REST_PATTERN = '*';

const GLOB_CHARACTERS = /[*?[\]{}!]/;

/** True for a glob; false for an exact account name. */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARACTERS.test(pattern);
}

/** Why `pattern` can never be a valid name or glob, or undefined when it can. */
export function patternError(pattern: string): string | undefined {
  if (pattern.length === 0) return 'expected an account name or a glob, got an empty string';
  if (pattern.length > MAX_PATTERN_LENGTH) return `expected at most ${MAX_PATTERN_LENGTH} characters, got ${pattern.length}`;
  if (!PATTERN_CHARACTERS.test(pattern)) {
    return `expected an account name or a glob of lower-case letters, digits, hyphens and * ? [...] {a,b}, got ${JSON.stringify(pattern)}`;
  }
  if (countStars(pattern) > MAX_PATTERN_STARS) return `a glob may hold at most ${MAX_PATTERN_STARS} "*", got ${JSON.stringify(pattern)}`;
  return undefined;
}


/** A predicate over stack names: equality for a name, picomatch for a glob. */
export function patternMatcher(pattern: string): (name: string) => boolean {
  if (!isGlob(pattern)) return (name) => name === pattern;
  return picomatch(pattern);
}

/** The names (in their given order) that `pattern` matches. */
export function matchNames(pattern: string, names: readonly string[]): string[] {
  const matches = patternMatcher(pattern);
  return names.filter((n) => matches(n));
}

/**
 * Split a comma-separated list of patterns, keeping commas inside braces (`prod-{web,api},dev-*`
 * is two patterns). Surrounding spaces are trimmed; empty entries are kept so callers can report them.
 */
export function splitPatternList(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current.trim());
  return out;
}

/** `; did you mean "prod-web"?` for a near miss of an exact name, else `; the accounts are: ...`. */
export function noMatchHint(pattern: string, names: readonly string[]): string {
  const near = isGlob(pattern) ? undefined : closestName(pattern, names);
  return near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : `; the accounts are: ${listNames(names)}`;
}

/** The closest name within a few edits (a typo), if any. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** `a, b, c` or, past `max`, `a, b, ... and 12 more`. */
export function listNames(names: readonly string[], max = 20): string {
  if (names.length === 0) return '(none)';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, ... and ${names.length - max} more`;
}
