import type { DelimitedCondition, FilterPatternAst, JsonExpr } from '../ast';

/** Every JSON expression node, parents before children. */
export function* jsonNodes(expr: JsonExpr): Generator<JsonExpr> {
  yield expr;
  if (expr.type === 'group') yield* jsonNodes(expr.expr);
  else if (expr.type === 'and' || expr.type === 'or') for (const o of expr.operands) yield* jsonNodes(o);
}

/** Every condition node of a delimited pattern's fields. */
export function* delimitedConditions(ast: FilterPatternAst): Generator<DelimitedCondition> {
  if (ast.kind !== 'delimited') return;
  for (const f of ast.fields) if (f.type === 'field' && f.condition) yield* conditionNodes(f.condition);
}

function* conditionNodes(c: DelimitedCondition): Generator<DelimitedCondition> {
  yield c;
  if (c.type !== 'comparison') for (const o of c.operands) yield* conditionNodes(o);
}

/** Strips parentheses: `((a))` -> `a`. */
export function unwrap(expr: JsonExpr): JsonExpr {
  while (expr.type === 'group') expr = expr.expr;
  return expr;
}
