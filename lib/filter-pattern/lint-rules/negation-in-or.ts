import { columnOf } from '../ast';
import { printJsonExpr, printValue } from '../print';
import type { LintFinding, LintRule } from './types';
import { delimitedConditions, jsonNodes, unwrap } from './walk';

/**
 * A `!=` or `NOT EXISTS` directly under `||` is true for nearly every event, so the whole `||` is
 * too: the widely copied CIS pattern `{ (...) || ($.sourceIPAddress != "delivery.logs.amazonaws.com")
 * || ($.eventName != "HeadBucket") }` alarms on practically everything. Negations belong under `&&`.
 */
export const negationInOr: LintRule = {
  id: 'negation-in-or',
  check: ({ parsed }) => {
    if (!parsed.ok) return [];
    const findings: LintFinding[] = [];
    const report = (text: string, column: number | undefined) =>
      findings.push({
        severity: 'error',
        rule: 'negation-in-or',
        message: `${text}${column ? ` at column ${column}` : ''} is an operand of "||": it is true for almost every event, so the whole "||" matches almost everything. Combine negations with "&&", e.g. (A || B) && ${text}`,
        column,
      });
    if (parsed.ast.kind === 'json') {
      for (const node of jsonNodes(parsed.ast.expr)) {
        if (node.type !== 'or') continue;
        for (const operand of node.operands) {
          const o = unwrap(operand);
          if ((o.type === 'comparison' && o.op === '!=') || (o.type === 'check' && o.check === 'NOT EXISTS')) report(printJsonExpr(o), columnOf(o));
        }
      }
    } else {
      for (const node of delimitedConditions(parsed.ast)) {
        if (node.type !== 'or') continue;
        for (const o of node.operands) if (o.type === 'comparison' && o.op === '!=') report(`${o.name} != ${printValue(o.value)}`, columnOf(o));
      }
    }
    return findings;
  },
};
