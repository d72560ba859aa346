/**
 * Condition tree -> CloudWatch Logs JSON filter pattern.
 *
 * Every operand is parenthesized and `&&` / `||` never meet at one level, so the pattern means what
 * the tree means whatever precedence a reader assumes (CloudWatch binds `&&` tighter than `||`,
 * which is how the published CIS 'unauthorized API calls' pattern came to match almost every
 * event). A value list expands to one term per value: `equals` values become alternatives joined
 * with `||`, `notEquals` values exclusions joined with `&&`.
 *
 *     all(any(suffix(errorCode, 'UnauthorizedOperation'), prefix(errorCode, 'AccessDenied')),
 *         notEquals(sourceIPAddress, 'delivery.logs.amazonaws.com'))
 *     -> { (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") }
 */
import { all, any, detectionCondition, isAll, isMatch, normalize } from '../condition';
import type { Condition, Control, Match, PatternSet } from '../types';

/** CloudWatch Logs rejects filter patterns longer than this (PutMetricFilter `filterPattern`). */
export const CLOUDWATCH_PATTERN_MAX_LENGTH = 1024;

/** The filter pattern for a condition tree. Throws on a value CloudWatch cannot express exactly. */
export function renderCloudWatchPattern(condition: Condition): string {
  return `{ ${renderGroup(normalize(expand(condition)))} }`;
}

/**
 * A control's pattern in a pattern set: the exact string the set prescribes for it, if any, else
 * the rendered detection.
 */
export function cloudWatchPatternFor(control: Control, set: PatternSet): string {
  return control.exactPatterns?.[set] ?? renderCloudWatchPattern(detectionCondition(control.detection));
}

/**
 * Adds exclusions (or any further required conditions) to an existing JSON filter pattern
 * string: `{ <pattern body> }` becomes `{ (<pattern body>) && (<exclusion>) && ... }`. The body
 * keeps its own text, so an exact string stays recognizable inside the result.
 */
export function andCloudWatchPattern(pattern: string, extra: Condition): string {
  const body = jsonPatternBody(pattern);
  const rest = normalize(expand(extra));
  const operands = isAll(rest) ? rest.all.map(renderOperand) : [renderOperand(rest)];
  return `{ (${body}) && ${operands.join(' && ')} }`;
}

/** The text between a JSON pattern's outer braces, trimmed; throws if it is not `{ ... }`. */
export function jsonPatternBody(pattern: string): string {
  const t = pattern.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) throw new Error(`not a JSON filter pattern (expected { ... }): ${pattern}`);
  const body = t.slice(1, -1).trim();
  if (body === '') throw new Error(`empty JSON filter pattern: ${pattern}`);
  return body;
}

/** One field test per value, grouped the way the value list means. */
function expand(c: Condition): Condition {
  if (isMatch(c)) {
    if (!('values' in c)) return c;
    if (c.values.length === 0) throw new Error(`${c.op} on ${c.field.join('.')} has no values`);
    const op = c.op;
    const one = c.values.map((v): Match => ({ field: c.field, op, values: [v] }));
    if (one.length === 1) return one[0];
    return c.op === 'notEquals' || c.op === 'notWildcard' || c.op === 'notRegex' ? all(...one) : any(...one);
  }
  return isAll(c) ? all(...c.all.map(expand)) : any(...(c as { any: readonly Condition[] }).any.map(expand));
}

function renderGroup(c: Condition): string {
  if (isMatch(c)) return renderOperand(c);
  if (isAll(c)) return c.all.map(renderOperand).join(' && ');
  return (c as { any: readonly Condition[] }).any.map(renderOperand).join(' || ');
}

function renderOperand(c: Condition): string {
  return `(${isMatch(c) ? renderTerm(c) : renderGroup(c)})`;
}

function renderTerm(m: Match): string {
  const selector = `$.${m.field.map(checkSegment).join('.')}`;
  switch (m.op) {
    case 'exists':
      return `${selector} = "*"`;
    case 'notExists':
      return `${selector} NOT EXISTS`;
    case 'hasItems':
      return `${selector}[0] = "*"`;
    case 'isTrue':
      return `${selector} IS TRUE`;
    case 'isFalse':
      return `${selector} IS FALSE`;
    case 'equals':
      return `${selector} = ${quote(exact(m.values[0], m))}`;
    case 'notEquals':
      return `${selector} != ${quote(exact(m.values[0], m))}`;
    case 'prefix':
      return `${selector} = ${quote(`${exact(m.values[0], m)}*`)}`;
    case 'suffix':
      return `${selector} = ${quote(`*${exact(m.values[0], m)}`)}`;
    case 'wildcard':
      return `${selector} = ${quote(m.values[0])}`;
    case 'notWildcard':
      return `${selector} != ${quote(m.values[0])}`;
    case 'regex':
      return `${selector} = ${regexLiteral(m.values[0], m)}`;
    case 'notRegex':
      return `${selector} != ${regexLiteral(m.values[0], m)}`;
  }
}

/**
 * CloudWatch Logs accepts `%regex%` as a value in JSON comparisons, with a restricted character
 * set (letters, digits, `_ # = @ / ; , : -` and `^ $ ? [ ] { } | \ * + .`) and at most 2 per pattern
 * ("Using regular expressions to match terms", FilterAndPatternSyntax):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
const CLOUDWATCH_REGEX = /^[A-Za-z0-9_#=@\/;,:\-^$?[\]{}|\\*+.]+$/;

function regexLiteral(v: string, m: Match): string {
  if (!CLOUDWATCH_REGEX.test(v)) {
    const bad = [...v].find((ch) => !CLOUDWATCH_REGEX.test(ch)) ?? '';
    throw new Error(`${m.op} value ${JSON.stringify(v)} on ${m.field.join('.')}: ${bad === '' ? 'an empty regex' : `the character ${JSON.stringify(bad)}`} cannot appear in a CloudWatch Logs regex (allowed: letters, digits, _ # = @ / ; , : - and ^ $ ? [ ] { } | \\ * + .)`);
  }
  return `%${v}%`;
}

function checkSegment(s: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`field name ${JSON.stringify(s)} cannot be written in a CloudWatch selector`);
  return s;
}

/** CloudWatch reads `*` in a quoted value as a wildcard: an exact value must not contain one. */
function exact(v: string, m: Match): string {
  if (v.includes('*')) throw new Error(`${m.op} value ${JSON.stringify(v)} on ${m.field.join('.')} contains "*", which CloudWatch reads as a wildcard; use wildcard/notWildcard`);
  return v;
}

function quote(v: string): string {
  if (v === '' || /["\\\u0000-\u001f]/.test(v)) throw new Error(`value ${JSON.stringify(v)} cannot be quoted in a CloudWatch filter pattern (empty, or contains a quote, backslash or control character)`);
  return `"${v}"`;
}
