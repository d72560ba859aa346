import type { Control } from '../types';

/** CIS 3.13 / 4.13 / 5.13: routes and route tables created, replaced, disassociated or deleted. */
export const routeTableChanges: Control = {
  id: 'route-table-changes',
  title: 'Route table changes',
  cis: { 'v1.2.0': '3.13', 'v1.4.0': '4.13', 'v3.0.0': '4.13', 'v5.0.0': '5.13' },
  securityHubControl: 'CloudWatch.13',
  rationale: 'Route tables decide where VPC traffic flows; a changed route can send traffic around inspection.',
  severity: 'medium',
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'],
  },
  exactPatterns: {
    // Security Hub CloudWatch.13 (CIS v1.2.0 3.13, v1.4.0 4.13), verbatim.
    securityhub:
      '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'RouteTableChanges',
};
