import type { Control } from '../types';

/** CIS 3.11 / 4.11 / 5.11: network ACLs and their entries created, changed, replaced or deleted. */
export const naclChanges: Control = {
  id: 'nacl-changes',
  title: 'Network access control list (NACL) changes',
  cis: { 'v1.2.0': '3.11', 'v1.4.0': '4.11', 'v3.0.0': '4.11', 'v5.0.0': '5.11' },
  securityHubControl: 'CloudWatch.11',
  rationale: 'NACLs filter traffic for whole subnets; a changed entry can open a subnet to unintended traffic.',
  severity: 'medium',
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'],
  },
  exactPatterns: {
    // Security Hub CloudWatch.11 (CIS v1.2.0 3.11, v1.4.0 4.11), verbatim.
    securityhub:
      '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'NetworkACLChanges',
};
