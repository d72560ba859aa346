/**
 * Discovery (ATT&CK TA0007): one principal enumerating IAM. After stealing credentials an attacker
 * lists users, roles, policies and their versions to find a way up (Stratus
 * aws.discovery.ec2-enumerate-from-instance does the same for EC2; tools such as Pacu and
 * enumerate-iam issue hundreds of List and Get calls in minutes). The console's IAM pages and
 * infrastructure-as-code plans read IAM too, so this counts per principal (`alarm.per`, a Contributor
 * Insights rule): a burst by one identity, not the organization's total.
 */
import { prefix } from '../condition';
import type { Control } from '../types';
import { ADMIN, assumedRole, sample } from './sample-records';

/** iam-enumeration: IAM List/Get calls by one principal in 5 minutes (tuned with backtest). */
export const IAM_CALLS_PER_PRINCIPAL = 100;

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html */
export const iamEnumeration: Control = {
  id: 'iam-enumeration',
  kind: 'threat',
  title: 'IAM enumerated by one principal (a burst of List and Get calls)',
  cis: {},
  rationale: 'Listing every user, role and policy version is how stolen credentials look for a path to more privilege; applications rarely read IAM at all.',
  severity: 'medium',
  attack: { tactics: ['TA0007'], techniques: ['T1087.004', 'T1069.003'] },
  falsePositives: ['Terraform or CloudFormation plans of large IAM estates (exclude their roles)', 'security scanners and CSPM tools (exclude their roles)'],
  detection: { eventSource: 'iam.amazonaws.com', where: prefix(['eventName'], 'List', 'Get') },
  alarm: { threshold: IAM_CALLS_PER_PRINCIPAL, period: 300, per: ['userIdentity.arn'] },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IamEnumeration',
  samples: {
    fires: [
      sample('ListRoles', { eventSource: 'iam.amazonaws.com', eventName: 'ListRoles', region: 'us-east-1', readOnly: true, userIdentity: assumedRole('payments-api', 'stolen') }),
      sample('GetPolicyVersion', { eventSource: 'iam.amazonaws.com', eventName: 'GetPolicyVersion', region: 'us-east-1', readOnly: true, requestParameters: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', versionId: 'v1' } }),
    ],
    quiet: [sample('CreateRole', { eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', region: 'us-east-1', userIdentity: ADMIN, requestParameters: { roleName: 'new-role' } }, 'a change, not a read')],
  },
};

export const DISCOVERY_DETECTIONS: readonly Control[] = [iamEnumeration];
