import { equals, notEquals } from '../condition';
import type { Control, SampleRecord } from '../types';

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
        // AWS writes both spellings: "Yes" and, in the CloudTrail User Guide's own root sign-in example, "YES".
        notEquals(['additionalEventData', 'MFAUsed'], 'Yes', 'YES'),
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
  samples: {
    fires: [{ name: 'root signs in without MFA (MFAUsed "No")', record: rootSignIn('No') }],
    quiet: [
      {
        name: 'root signs in with MFA, MFAUsed spelled "YES"',
        why: 'the CloudTrail User Guide\'s own root sign-in example writes "YES" ("AWS Management Console sign-in events"): != "Yes" alone would count it as a sign-in without MFA',
        record: rootSignIn('YES'),
      },
    ],
  },
};

/** A successful root console sign-in as the CloudTrail User Guide shows it ("AWS Management Console sign-in events"). */
function rootSignIn(mfaUsed: string): SampleRecord {
  return {
    eventVersion: '1.05',
    userIdentity: { type: 'Root', principalId: '444444444444', arn: 'arn:aws:iam::444444444444:root', accountId: '444444444444', accessKeyId: '' },
    eventTime: '2026-11-02T16:24:34Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.0',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    requestParameters: null,
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: mfaUsed },
    eventID: `deabcdef-${mfaUsed === 'No' ? '0000' : '1111'}-4b7c-8d9e-0f1a2b3c4d5e`,
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: '444444444444',
  };
}
