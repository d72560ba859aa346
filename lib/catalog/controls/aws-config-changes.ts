import type { Control } from '../types';

/** CIS 3.9 / 4.9 / 5.9: the AWS Config recorder or delivery channel stopped, changed or deleted. */
export const awsConfigChanges: Control = {
  id: 'aws-config-changes',
  title: 'AWS Config configuration changes',
  cis: { 'v1.2.0': '3.9', 'v1.4.0': '4.9', 'v3.0.0': '4.9', 'v5.0.0': '5.9' },
  securityHubControl: 'CloudWatch.9',
  rationale: 'Stopping the configuration recorder hides every later resource change from AWS Config.',
  severity: 'medium',
  detection: {
    eventSource: 'config.amazonaws.com',
    eventNames: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'],
  },
  exactPatterns: {
    // Security Hub CloudWatch.9 (CIS v1.2.0 3.9, v1.4.0 4.9), verbatim.
    securityhub:
      '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'AWSConfigChanges',
};
