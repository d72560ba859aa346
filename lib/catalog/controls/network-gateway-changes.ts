import type { Control } from '../types';

/** CIS 3.12 / 4.12 / 5.12: customer and internet gateways created, attached, detached or deleted. */
export const networkGatewayChanges: Control = {
  id: 'network-gateway-changes',
  title: 'Network gateway changes',
  cis: { 'v1.2.0': '3.12', 'v1.4.0': '4.12', 'v3.0.0': '4.12', 'v5.0.0': '5.12' },
  securityHubControl: 'CloudWatch.12',
  rationale: 'Gateways are the doors of a VPC; watching them keeps ingress and egress on controlled paths.',
  severity: 'medium',
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'],
  },
  exactPatterns: {
    // Security Hub CloudWatch.12 (CIS v1.2.0 3.12, v1.4.0 4.12), verbatim.
    securityhub:
      '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'NetworkGatewayChanges',
};
