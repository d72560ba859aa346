/** Value-level helpers shared by the parser, the evaluator and the printer. */

/**
 * The documented NUMBER: "An integer with an optional + or - sign, a decimal with an optional + or -
 * sign, or a number in scientific notation, which is an integer or a decimal with an optional + or -
 * sign, followed by 'e', followed by an integer with an optional + or - sign"
 * (FilterAndPatternSyntax, "Numeric Comparisons").
 */
export const NUMBER_RE = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Characters allowed in an unquoted value. The docs say values of only alphanumerics need no
 * quotes and values with "@", "$", "\" etc. must be quoted, yet their own examples leave
 * `123.123.*` and `*.html*` bare; we accept the characters those examples use (plus `:` `/` `+`
 * for ARNs and user agents) and require quotes for anything else.
 */
export const BARE_VALUE_CHAR = /[A-Za-z0-9_.*:/+-]/;
const BARE_VALUE_RE = /^[A-Za-z0-9_.*:/+-]+$/;

/**
 * Regex patterns "can only include" alphanumerics, the symbols _ # = @ / ; , - (one revision
 * also lists :), and the operators ^ $ ? [ ] { } | \ * + . ; "( and ) operators are not
 * supported" and "Multi-byte characters are not supported" (FilterAndPatternSyntax, "Supported
 * regular expressions (regex) syntax"). We also allow a space.
 */
export const REGEX_CHAR = /[A-Za-z0-9_#=@/;,:\- ^$?[\]{}|\\*+.]/;

/** At most two regexes in one pattern (PutMetricFilter: "a quota of two regular expression patterns within a single filter pattern"). */
export const MAX_REGEXES = 2;

/** A string test compiled once: exact, prefix, suffix, infix, or a RegExp for several `*`. */
export type StringTest = (s: string) => boolean;

const ANY: StringTest = () => true;

/** `*` matches any run of characters (including none) anywhere in the value; matching is case-sensitive. */
export function compileWildcard(pattern: string): StringTest {
  if (!pattern.includes('*')) return (s) => s === pattern;
  const parts = pattern.split('*');
  if (parts.every((p) => p === '')) return ANY;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (parts.length === 2) {
    if (last === '') return (s) => s.startsWith(first);
    if (first === '') return (s) => s.endsWith(last);
    const min = first.length + last.length;
    return (s) => s.length >= min && s.startsWith(first) && s.endsWith(last);
  }
  if (parts.length === 3 && first === '' && last === '') {
    const mid = parts[1];
    return (s) => s.includes(mid);
  }
  const re = new RegExp(`^${parts.map(escapeRegExp).join('.*')}$`, 's');
  return (s) => re.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The number a string field holds, or NaN when it is not exactly a documented NUMBER. */
export function numericText(s: string): number {
  return NUMBER_RE.test(s) ? Number(s) : NaN;
}

/** Canonical spelling of a string value: bare when it re-parses to the same string, else quoted. */
export function printStringValue(value: string): string {
  return BARE_VALUE_RE.test(value) && !NUMBER_RE.test(value) ? value : quote(value);
}

/** Double-quoted with `\"` and `\\` escaped (the only escapes the parser reads). */
export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}
