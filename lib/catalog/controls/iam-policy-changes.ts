import type { Control } from '../types';

/**
 * CIS 3.4 / 4.4 / 5.4. Scoped to IAM: the Security Hub string matches any `DeletePolicy`, so
 * Auto Scaling deleting a scaling policy fires it too.
 */
export const iamPolicyChanges: Control = {
  id: 'iam-policy-changes',
  title: 'IAM policy changes',
  cis: { 'v1.2.0': '3.4', 'v1.4.0': '4.4', 'v3.0.0': '4.4', 'v5.0.0': '5.4' },
  securityHubControl: 'CloudWatch.4',
  rationale: 'Changes to IAM policies change who may do what; watching them keeps authentication and authorization controls intact.',
  severity: 'high',
  detection: {
    eventSource: 'iam.amazonaws.com',
    eventNames: [
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ],
  },
  exactPatterns: {
    // Security Hub CloudWatch.4 (CIS v1.2.0 3.4, v1.4.0 4.4), verbatim.
    securityhub:
      '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
  },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IAMPolicyChanges',
};
