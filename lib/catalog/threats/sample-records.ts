/**
 * Builders for the threat catalog's labelled samples: CloudTrail records in the shape the CloudTrail
 * User Guide documents ("CloudTrail record contents",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
 * every record carries eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion,
 * sourceIPAddress, userAgent, requestParameters, responseElements, eventType and
 * recipientAccountId. Only the fields a detection reads vary between samples.
 */
import type { Sample, SampleRecord } from '../types';

export const SAMPLE_ACCOUNT = '444444444444';
/** An account outside the sample organization (the attacker's). */
export const EXTERNAL_ACCOUNT = '999999999999';

export function assumedRole(role: string, session: string): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROAQRSTUVWXYZEXAMPLE:${session}`,
    arn: `arn:aws:sts::${SAMPLE_ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: SAMPLE_ACCOUNT,
    accessKeyId: 'ASIAQRSTUVWXYZEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAQRSTUVWXYZEXAMPLE', arn: `arn:aws:iam::${SAMPLE_ACCOUNT}:role/${role}`, accountId: SAMPLE_ACCOUNT, userName: role },
      attributes: { creationDate: '2026-11-02T08:59:12Z', mfaAuthenticated: 'false' },
    },
  };
}

export function iamUser(name: string): Record<string, unknown> {
  return { type: 'IAMUser', principalId: 'AIDAQRSTUVWXYZEXAMPLE', arn: `arn:aws:iam::${SAMPLE_ACCOUNT}:user/${name}`, accountId: SAMPLE_ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: name };
}

/** An AWS service acting for the account (userIdentity.type AWSService has no arn). */
export function awsService(service: string): Record<string, unknown> {
  return { type: 'AWSService', invokedBy: service };
}

export const ADMIN = assumedRole('AWSReservedSSO_AdministratorAccess_0123456789abcdef', 'alice@example.com');
export const DEPLOYER = assumedRole('ci-deployer', 'github-actions-1234');
export const APP = assumedRole('payments-api', 'i-0abc1234def567890');

export interface CallShape {
  readonly eventSource: string;
  readonly eventName: string;
  readonly userIdentity?: Record<string, unknown>;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly responseElements?: Record<string, unknown> | null;
  readonly errorCode?: string;
  readonly readOnly?: boolean;
  readonly region?: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly eventTime?: string;
}

/** One API call record (eventType AwsApiCall). */
export function apiCall(c: CallShape): SampleRecord {
  return {
    eventVersion: '1.09',
    userIdentity: c.userIdentity ?? ADMIN,
    eventTime: c.eventTime ?? '2026-11-02T09:15:00Z',
    eventSource: c.eventSource,
    eventName: c.eventName,
    awsRegion: c.region ?? 'eu-west-1',
    sourceIPAddress: c.sourceIPAddress ?? '203.0.113.17',
    userAgent: c.userAgent ?? 'aws-cli/2.17.3 md/Botocore#1.34.120 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8',
    ...(c.errorCode !== undefined ? { errorCode: c.errorCode, errorMessage: 'The request was refused' } : {}),
    requestParameters: c.requestParameters === undefined ? null : c.requestParameters,
    responseElements: c.responseElements === undefined ? null : c.responseElements,
    requestID: '5f1d1c62-0000-4000-8000-000000000001',
    eventID: '0b7d3c6e-0000-4000-8000-000000000001',
    readOnly: c.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: SAMPLE_ACCOUNT,
    eventCategory: 'Management',
  };
}

/** A labelled sample. */
export const sample = (name: string, c: CallShape, why?: string): Sample => ({ name, record: apiCall(c), ...(why !== undefined ? { why } : {}) });
