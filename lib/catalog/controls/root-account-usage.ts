import { equals, notEquals, notExists, orAbsent } from '../condition';
import type { Control } from '../types';

/**
 * CIS 3.3 / 4.3 / 5.3 (with the "avoid the root user" controls 1.1 / 1.7): anything the root
 * user does itself. Actions AWS services take on the root user's behalf (`invokedBy` set) and
 * service events are not root usage. A record without `eventType` (older event versions) is
 * judged on the rest: Security Hub's exact `$.eventType != "AwsServiceEvent"` misses it.
 */
export const rootAccountUsage: Control = {
  id: 'root-account-usage',
  title: 'Usage of the "root" user',
  cis: { 'v1.2.0': '3.3', 'v1.4.0': '4.3', 'v3.0.0': '4.3', 'v5.0.0': '5.3' },
  securityHubControl: 'CloudWatch.1',
  rationale: 'The root user has unrestricted access to every resource of the account; any use of it outside the few tasks that require it needs a look.',
  severity: 'critical',
  detection: {
    where: {
      // Records of older event versions carry no eventType: root activity in them still counts.
      all: [equals(['userIdentity', 'type'], 'Root'), notExists(['userIdentity', 'invokedBy']), orAbsent(notEquals(['eventType'], 'AwsServiceEvent'))],
    },
  },
  exactPatterns: {
    // Security Hub CloudWatch.1 (CIS v1.2.0 3.3, v1.4.0 4.3), verbatim.
    securityhub: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  },
  // Root acts in any region (EC2, S3, ...), so not a global-service-only control.
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
  metricName: 'RootAccountUsage',
  samples: {
    fires: [
      {
        name: 'root lists buckets in a record of an older event version, which has no eventType',
        why: 'eventType appeared in later event versions; $.eventType != "AwsServiceEvent" alone is false on a record without it',
        record: {
          eventVersion: '1.02',
          userIdentity: { type: 'Root', principalId: '444444444444', arn: 'arn:aws:iam::444444444444:root', accountId: '444444444444' },
          eventTime: '2015-03-18T19:03:36Z',
          eventSource: 's3.amazonaws.com',
          eventName: 'ListBuckets',
          awsRegion: 'us-east-1',
          sourceIPAddress: '203.0.113.10',
          userAgent: 'aws-cli/1.7.14 Python/2.7.9',
          requestParameters: null,
          responseElements: null,
          requestID: 'C3D13F1B2A1F1F2A',
          eventID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          recipientAccountId: '444444444444',
        },
      },
    ],
    quiet: [
      {
        name: 'an AWS service event on the root user\'s behalf (eventType AwsServiceEvent)',
        record: {
          eventVersion: '1.08',
          userIdentity: { type: 'Root', principalId: '444444444444', arn: 'arn:aws:iam::444444444444:root', accountId: '444444444444' },
          eventTime: '2026-11-02T03:10:00Z',
          eventSource: 'kms.amazonaws.com',
          eventName: 'RotateKey',
          awsRegion: 'us-east-1',
          sourceIPAddress: 'kms.amazonaws.com',
          userAgent: 'kms.amazonaws.com',
          requestParameters: null,
          responseElements: null,
          eventID: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
          eventType: 'AwsServiceEvent',
          managementEvent: true,
          recipientAccountId: '444444444444',
          eventCategory: 'Management',
        },
      },
    ],
  },
};
