import { all, any, notEquals, prefix, suffix } from '../condition';
import type { Control } from '../types';

/**
 * CIS 3.1 / 4.1 / 5.1. The widely copied remediation joins all four clauses with `||`, so its two
 * exclusions become alternatives and the pattern matches almost every event; later texts mix `||`
 * and `&&` without parentheses. This is what the control means: an authorization failure, except
 * the log-delivery service and S3 HeadBucket probes.
 */
export const unauthorizedApiCalls: Control = {
  id: 'unauthorized-api-calls',
  title: 'Unauthorized API calls',
  cis: { 'v1.2.0': '3.1', 'v1.4.0': '4.1', 'v3.0.0': '4.1', 'v5.0.0': '5.1' },
  securityHubControl: 'CloudWatch.2',
  rationale:
    'Unauthorized API calls reveal application errors and can shorten the time to detect malicious activity. Read-only console pages that probe optional information also fail this way: exclude those principals rather than disabling the control.',
  severity: 'medium',
  detection: {
    where: all(
      any(suffix(['errorCode'], 'UnauthorizedOperation'), prefix(['errorCode'], 'AccessDenied')),
      notEquals(['sourceIPAddress'], 'delivery.logs.amazonaws.com'),
      notEquals(['eventName'], 'HeadBucket'),
    ),
  },
  exactPatterns: {
    // Security Hub CloudWatch.2 (CIS v1.2.0 3.1), verbatim; source cited in ../index.ts.
    securityhub: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'UnauthorizedAPICalls',
};
