import { columnOf, type JsonExpr } from '../ast';
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
  description: 'A `!=` or `NOT EXISTS` directly under `||` is true for nearly every event, so the whole pattern is.',
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
        if (node.type !== 'or' || isAbsenceGuard(node.operands)) continue;
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

/**
 * `($.f NOT EXISTS) || ($.f != "a")`: "f is absent or not a", the complement of `$.f = "a"` on
 * every record (a `!=` alone skips records without f). Every operand tests the one field, so it
 * cannot make the `||` match unrelated events: not the CIS defect. Sigma's `not` renders this way
 * (lib/sigma), as do exclusions of fields some records lack.
 */
function isAbsenceGuard(operands: readonly JsonExpr[]): boolean {
  const guard = operands.map(unwrap).find((o) => o.type === 'check' && o.check === 'NOT EXISTS');
  if (!guard || guard.type !== 'check') return false;
  const field = guard.selector.text;
  const onlyField = (e: JsonExpr): boolean => {
    const u = unwrap(e);
    if (u.type === 'and' || u.type === 'or') return u.operands.every(onlyField);
    return u.type !== 'group' && u.selector.text === field;
  };
  return operands.every(onlyField);
}
