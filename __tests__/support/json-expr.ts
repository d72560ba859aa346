/** fast-check arbitrary of JSON filter-pattern expressions over given leaves, shared by the parser and pattern-set properties. */
import fc from 'fast-check';
import type { JsonExpr } from '../../lib/filter-pattern';

/** Only shapes the parser can produce: no unparenthesized and/or directly under and, no or under or. */
export function jsonExprArbitrary(leaf: fc.Arbitrary<JsonExpr>, maxAndOperands = 3): fc.Arbitrary<JsonExpr> {
  return fc.letrec<{ expr: JsonExpr; group: JsonExpr; andOperand: JsonExpr; orOperand: JsonExpr }>((tie) => ({
    group: tie('expr').map((e): JsonExpr => ({ type: 'group', expr: e })),
    andOperand: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('group')),
    orOperand: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('group'),
      fc.array(tie('andOperand'), { minLength: 2, maxLength: maxAndOperands }).map((operands): JsonExpr => ({ type: 'and', operands })),
    ),
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('orOperand'),
      fc.array(tie('orOperand'), { minLength: 2, maxLength: 3 }).map((operands): JsonExpr => ({ type: 'or', operands })),
    ),
  })).expr;
}
