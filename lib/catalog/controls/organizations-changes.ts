import type { Control } from '../types';

/**
 * CIS 4.15 / 5.15: changes to the organization itself. The CIS list plus `CancelHandshake`,
 * `CreateOrganization` and `EnableAllFeatures`, which change the organization just as much.
 * Security Hub grades no CloudWatch control for it, so every pattern set renders it.
 */
export const organizationsChanges: Control = {
  id: 'organizations-changes',
  title: 'AWS Organizations changes',
  cis: { 'v1.4.0': '4.15', 'v3.0.0': '4.15', 'v5.0.0': '5.15' },
  rationale: 'Organization changes move accounts, attach or detach service control policies and invite accounts: they change the guardrails of every account at once.',
  severity: 'high',
  detection: {
    eventSource: 'organizations.amazonaws.com',
    eventNames: [
      'AcceptHandshake',
      'AttachPolicy',
      'CancelHandshake',
      'CreateAccount',
      'CreateOrganization',
      'CreateOrganizationalUnit',
      'CreatePolicy',
      'DeclineHandshake',
      'DeleteOrganization',
      'DeleteOrganizationalUnit',
      'DeletePolicy',
      'DetachPolicy',
      'DisablePolicyType',
      'EnableAllFeatures',
      'EnablePolicyType',
      'InviteAccountToOrganization',
      'LeaveOrganization',
      'MoveAccount',
      'RemoveAccountFromOrganization',
      'UpdateOrganizationalUnit',
      'UpdatePolicy',
    ],
  },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'OrganizationsChanges',
};
