import { equals } from '../condition';
import type { Control } from '../types';

/** CIS 3.6 / 4.6 / 5.6: a console sign-in that failed authentication. */
export const consoleAuthFailures: Control = {
  id: 'console-auth-failures',
  title: 'AWS Management Console authentication failures',
  cis: { 'v1.2.0': '3.6', 'v1.4.0': '4.6', 'v3.0.0': '4.6', 'v5.0.0': '5.6' },
  securityHubControl: 'CloudWatch.6',
  rationale: 'Repeated failed console sign-ins point at password guessing and give a source IP to correlate with other events.',
  severity: 'medium',
  detection: {
    eventSource: 'signin.amazonaws.com',
    eventNames: ['ConsoleLogin'],
    where: equals(['errorMessage'], 'Failed authentication'),
  },
  exactPatterns: {
    // Security Hub CloudWatch.6 (CIS v1.2.0 3.6, v1.4.0 4.6), verbatim.
    securityhub: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  },
  globalService: true,
  detailTypes: ['AWS Console Sign In via CloudTrail'],
  metricName: 'ConsoleAuthenticationFailures',
};
