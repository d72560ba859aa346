import type { Control } from '../types';

/** CIS 3.7 / 4.7 / 5.7: a customer managed KMS key disabled or scheduled for deletion. */
export const kmsKeyDisableOrDeletion: Control = {
  id: 'kms-key-disable-or-deletion',
  title: 'Disabling or scheduled deletion of customer managed KMS keys',
  cis: { 'v1.2.0': '3.7', 'v1.4.0': '4.7', 'v3.0.0': '4.7', 'v5.0.0': '5.7' },
  securityHubControl: 'CloudWatch.7',
  rationale: 'Data encrypted under a disabled or deleted key can no longer be read; a deletion is reversible only during its waiting period.',
  severity: 'high',
  detection: {
    eventSource: 'kms.amazonaws.com',
    eventNames: ['DisableKey', 'ScheduleKeyDeletion'],
  },
  exactPatterns: {
    // Security Hub CloudWatch.7 (CIS v1.2.0 3.7, v1.4.0 4.7), verbatim.
    securityhub: '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'KMSKeyDisableOrDeletion',
};
