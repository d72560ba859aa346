import { columnOf, type JsonExpr } from '../ast';
import { printJsonExpr } from '../print';
import type { LintFinding, LintRule } from './types';
import { jsonNodes } from './walk';

/**
 * `a || b && c` at one parenthesis level. CloudWatch reads it as `a || (b && c)` ("() > && > ||"),
 * which is rarely what the author of a copied pattern meant; require the parentheses.
 */
export const ambiguousPrecedence: LintRule = {
  id: 'ambiguous-precedence',
  description: '`a || b && c` without parentheses: CloudWatch reads it as `a || (b && c)`; add the parentheses you mean.',
  check: ({ parsed }) => {
    if (!parsed.ok || parsed.ast.kind !== 'json') return [];
    const findings: LintFinding[] = [];
    for (const node of jsonNodes(parsed.ast.expr)) {
      if (node.type !== 'or') continue;
      const and = node.operands.find((o) => o.type === 'and');
      if (!and) continue;
      const explicit: JsonExpr = { type: 'or', operands: node.operands.map((o) => (o.type === 'and' ? { type: 'group', expr: o } : o)) };
      const column = columnOf(and);
      findings.push({
        severity: 'error',
        rule: 'ambiguous-precedence',
        message: `"&&"${column ? ` at column ${column}` : ''} and "||" are mixed without parentheses; && binds tighter, so this reads as ${printJsonExpr(explicit)}. Add parentheses to say which grouping you mean`,
        column,
      });
    }
    return findings;
  },
};
