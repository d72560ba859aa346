/**
 * Renders an AST back to canonical pattern text. For parser output, parse(print(ast)) deep-equals
 * ast: groups print as written, and an operand that would otherwise re-associate (an `or` inside an
 * `and`, a nested node of the same type) is parenthesized.
 */
import type { DelimitedCondition, FilterPatternAst, JsonExpr, Term, Value } from './ast';
import { printStringValue, quote } from './values';

export function printFilterPattern(ast: FilterPatternAst): string {
  switch (ast.kind) {
    case 'json':
      return `{ ${printJsonExpr(ast.expr)} }`;
    case 'terms':
      return ast.terms.map(printTerm).join(' ');
    case 'delimited':
      return `[${ast.fields.map((f) => (f.type === 'ellipsis' ? '...' : f.condition ? printCondition(f.condition) : f.name)).join(', ')}]`;
  }
}

export function printJsonExpr(expr: JsonExpr): string {
  switch (expr.type) {
    case 'or':
      return expr.operands.map((o) => (o.type === 'or' ? `(${printJsonExpr(o)})` : printJsonExpr(o))).join(' || ');
    case 'and':
      return expr.operands.map((o) => (o.type === 'or' || o.type === 'and' ? `(${printJsonExpr(o)})` : printJsonExpr(o))).join(' && ');
    case 'group':
      return `(${printJsonExpr(expr.expr)})`;
    case 'comparison':
      return `${expr.selector.text} ${expr.op} ${printValue(expr.value)}`;
    case 'check':
      return `${expr.selector.text} ${expr.check}`;
  }
}

/** Delimited conditions have no parentheses in the docs; a hand-built `or` under an `and` cannot be printed faithfully. */
function printCondition(c: DelimitedCondition): string {
  switch (c.type) {
    case 'or':
      return c.operands.map(printCondition).join(' || ');
    case 'and':
      return c.operands.map(printCondition).join(' && ');
    case 'comparison':
      return `${c.name} ${c.op} ${printValue(c.value)}`;
  }
}

export function printValue(v: Value): string {
  switch (v.type) {
    case 'number':
      return v.raw;
    case 'regex':
      return `%${v.source}%`;
    case 'string':
      return printStringValue(v.value);
  }
}

function printTerm(t: Term): string {
  if (t.type === 'regex') return `%${t.source}%`;
  const prefix = t.modifier === 'optional' ? '?' : t.modifier === 'excluded' ? '-' : '';
  // "terms that include characters other than alphanumeric or underscore must be placed inside double quotes"
  return prefix + (/^[A-Za-z0-9_]+$/.test(t.text) ? t.text : quote(t.text));
}
