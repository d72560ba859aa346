import type { Control } from '../types';

/** CIS 3.14 / 4.14 / 5.14: VPCs, their attributes and peering connections (and ClassicLink, retired but still named by CIS). */
export const vpcChanges: Control = {
  id: 'vpc-changes',
  title: 'VPC changes',
  cis: { 'v1.2.0': '3.14', 'v1.4.0': '4.14', 'v3.0.0': '4.14', 'v5.0.0': '5.14' },
  securityHubControl: 'CloudWatch.14',
  rationale: 'A new peering connection or changed VPC attribute can route traffic between networks that were meant to stay apart.',
  severity: 'medium',
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: [
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ],
  },
  exactPatterns: {
    // Security Hub CloudWatch.14 (CIS v1.2.0 3.14, v1.4.0 4.14), verbatim.
    securityhub:
      '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'VPCChanges',
};
