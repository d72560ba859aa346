import type { Control } from '../types';

/** CIS 3.10 / 4.10 / 5.10. CIS v5.0.0 adds `ModifySecurityGroupRules`, which edits rules in place. */
export const securityGroupChanges: Control = {
  id: 'security-group-changes',
  title: 'Security group changes',
  cis: { 'v1.2.0': '3.10', 'v1.4.0': '4.10', 'v3.0.0': '4.10', 'v5.0.0': '5.10' },
  securityHubControl: 'CloudWatch.10',
  rationale: 'Security groups decide what reaches a resource; a changed rule can expose a service to the internet.',
  severity: 'medium',
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
      'ModifySecurityGroupRules',
    ],
  },
  exactPatterns: {
    // Security Hub CloudWatch.10 (CIS v1.2.0 3.10, v1.4.0 4.10), verbatim: without ModifySecurityGroupRules.
    securityhub:
      '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SecurityGroupChanges',
};
