import { equals, notEquals } from '../condition';
import type { Control } from '../types';

/**
 * CIS 3.2 / 4.2 / 5.2: a successful console sign-in by an IAM user or the root user that did not
 * use MFA. Failed sign-ins (console-auth-failures) and federated sign-ins (MFA happens at the
 * identity provider, CloudTrail reports MFAUsed "No") are left out, as CIS suggests for SSO.
 */
export const consoleSigninWithoutMfa: Control = {
  id: 'console-signin-without-mfa',
  title: 'Management Console sign-in without MFA',
  cis: { 'v1.2.0': '3.2', 'v1.4.0': '4.2', 'v3.0.0': '4.2', 'v5.0.0': '5.2' },
  securityHubControl: 'CloudWatch.3',
  rationale: 'Single-factor console sign-ins show which identities are not protected by MFA and are an early sign of stolen passwords.',
  severity: 'high',
  detection: {
    eventSource: 'signin.amazonaws.com',
    eventNames: ['ConsoleLogin'],
    where: {
      all: [
        equals(['responseElements', 'ConsoleLogin'], 'Success'),
        notEquals(['additionalEventData', 'MFAUsed'], 'Yes'),
        equals(['userIdentity', 'type'], 'IAMUser', 'Root'),
      ],
    },
  },
  exactPatterns: {
    // Security Hub CloudWatch.3 (CIS v1.2.0 3.2), verbatim. It checks IAM users only: a root
    // sign-in without MFA does not match it.
    securityhub:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  globalService: true,
  detailTypes: ['AWS Console Sign In via CloudTrail'],
  metricName: 'ConsoleSigninWithoutMFA',
};
