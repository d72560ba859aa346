import type { LintRule } from './types';

/** A pattern that does not parse: CloudWatch Logs would refuse to create the filter. */
export const syntax: LintRule = {
  id: 'syntax',
  description: 'The pattern does not parse: CloudWatch Logs would refuse the metric filter.',
  check: ({ parsed }) =>
    parsed.ok ? [] : [{ severity: 'error', rule: 'syntax', message: parsed.error.message, column: parsed.error.column }],
};
