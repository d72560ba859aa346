import type { Control } from '../types';

/** CIS 3.5 / 4.5 / 5.5: a trail created, changed, deleted, started or stopped. */
export const cloudtrailConfigChanges: Control = {
  id: 'cloudtrail-config-changes',
  title: 'CloudTrail configuration changes',
  cis: { 'v1.2.0': '3.5', 'v1.4.0': '4.5', 'v3.0.0': '4.5', 'v5.0.0': '5.5' },
  securityHubControl: 'CloudWatch.5',
  rationale: 'Stopping or changing a trail is how an intruder goes dark; watching it keeps the account visible.',
  severity: 'high',
  detection: {
    eventSource: 'cloudtrail.amazonaws.com',
    eventNames: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'],
  },
  exactPatterns: {
    // Security Hub CloudWatch.5 (CIS v1.2.0 3.5, v1.4.0 4.5), verbatim.
    securityhub: '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'CloudTrailConfigChanges',
};
