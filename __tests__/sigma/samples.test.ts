/**
 * Converted SigmaHQ rules (vendor/sigma) on sample records written from AWS's documented CloudTrail
 * event shapes: the CloudWatch filter pattern (lib/filter-pattern evaluator), the EventBridge
 * pattern (the test matcher) and the Athena SQL (run in DuckDB) must each fire on every `fires`
 * record and on no `quiet` one. A disagreement between them fails the test.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { athenaTable } from '../support/athena-table';
import * as path from 'path';
import { canMatchWithheldReadOnlyCall, detectionCondition, normalize } from '../../lib/catalog';
import { renderCondition } from '../../lib/catalog/render/sql';
import { eventBridgePatternFor } from '../../lib/catalog/render/eventbridge';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { convertSigmaStrict, readSigmaSources, renderSigma, type SigmaConversion } from '../../lib/sigma';
import { asEventBridgeEvent, eventMatches } from '../support/eventbridge-pattern';

const VENDOR = path.join(__dirname, '../../vendor/sigma');

type Rec = Record<string, unknown>;
let n = 0;
/** A management event as CloudTrail writes it (CloudTrail User Guide, "CloudTrail record contents"). */
const record = (over: Rec): Rec => ({
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'alice' },
  eventTime: '2026-11-02T10:00:00Z',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.10',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6',
  requestParameters: null,
  responseElements: null,
  requestID: 'f0e4a1b2-0000-4000-8000-000000000000',
  eventID: `e-${++n}`,
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
  ...over,
});
const assumedRole = (arn: string) => ({ type: 'AssumedRole', principalId: 'AROAEXAMPLE:session', arn, accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE' });
const root = { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE' };

/** Samples per vendored rule file: records that must fire, and near-misses that must not. */
const SAMPLES: Record<string, { fires: Rec[]; quiet: Rec[] }> = {
  'aws_cloudtrail_guardduty_detector_deleted_or_updated.yml': {
    fires: [
      record({ eventSource: 'guardduty.amazonaws.com', eventName: 'DeleteDetector', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0' } }),
      // UpdateDetector's request syntax (GuardDuty API Reference): "enable": boolean. The rule writes 'false'.
      record({ eventSource: 'guardduty.amazonaws.com', eventName: 'UpdateDetector', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', enable: false } }),
    ],
    quiet: [
      record({ eventSource: 'guardduty.amazonaws.com', eventName: 'DeleteDetector', errorCode: 'AccessDenied', errorMessage: 'User is not authorized' }),
      record({ eventSource: 'guardduty.amazonaws.com', eventName: 'UpdateDetector', requestParameters: { detectorId: 'd1', enable: true } }),
      record({ eventSource: 'guardduty.amazonaws.com', eventName: 'UpdateDetector', requestParameters: { detectorId: 'd1', findingPublishingFrequency: 'SIX_HOURS' } }),
      record({ eventSource: 'guardduty.amazonaws.com', eventName: 'CreateDetector' }),
    ],
  },
  'aws_root_account_usage.yml': {
    fires: [
      record({ userIdentity: root, eventSource: 's3.amazonaws.com', eventName: 'CreateBucket' }),
      // CloudTrail before eventType existed (2015) and some exports: Sigma's `not` holds, so does the conversion.
      record({ userIdentity: root, eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', eventType: undefined }),
    ],
    quiet: [
      record({ userIdentity: { type: 'Root', principalId: '111122223333', accountId: '111122223333', invokedBy: 'support.amazonaws.com' }, eventSource: 'support.amazonaws.com', eventName: 'RefreshTrustedAdvisorCheck', eventType: 'AwsServiceEvent' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'CreateBucket' }),
    ],
  },
  'aws_cloudtrail_imds_malicious_usage.yml': {
    fires: [record({ userIdentity: assumedRole('arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0123456789abcdef0'), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', sourceIPAddress: '198.51.100.7' })],
    quiet: [
      record({ userIdentity: assumedRole('arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0123456789abcdef0'), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', sourceIPAddress: 'AWS Internal' }),
      record({ userIdentity: assumedRole('arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0123456789abcdef0'), eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation' }),
      record({ userIdentity: assumedRole('arn:aws:sts::111122223333:assumed-role/Admin/alice'), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances' }),
    ],
  },
  'aws_console_getsignintoken.yml': {
    fires: [
      record({ eventSource: 'signin.amazonaws.com', eventName: 'GetSigninToken', userAgent: 'python-requests/2.31.0' }),
      record({ eventSource: 'signin.amazonaws.com', eventName: 'GetSigninToken', userAgent: undefined }),
    ],
    quiet: [
      record({ eventSource: 'signin.amazonaws.com', eventName: 'GetSigninToken', userAgent: 'Jersey/${project.version} (HttpUrlConnection 1.8.0_292)' }),
      record({ eventSource: 'sts.amazonaws.com', eventName: 'GetFederationToken', userAgent: 'python-requests/2.31.0' }),
    ],
  },
  'aws_cloudtrail_console_login_success_without_mfa.yml': {
    // The ConsoleLogin shape of "AWS console sign-in events" (CloudTrail User Guide).
    fires: [
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' } }),
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MobileVersion: 'No', MFAUsed: 'NO' } }),
    ],
    quiet: [
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MobileVersion: 'No', MFAUsed: 'Yes' } }),
      record({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No' } }),
    ],
  },
  'aws_susp_saml_activity.yml': {
    fires: [
      record({ userIdentity: { type: 'SAMLUser', principalId: 'x', userName: 'alice' }, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoleWithSAML' }),
      record({ eventSource: 'iam.amazonaws.com', eventName: 'UpdateSAMLProvider' }),
    ],
    quiet: [record({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole' }), record({ eventSource: 'iam.amazonaws.com', eventName: 'AssumeRoleWithSAML' })],
  },
  'aws_enum_buckets.yml': {
    fires: [record({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', readOnly: true })],
    quiet: [
      record({ userIdentity: assumedRole('arn:aws:sts::111122223333:assumed-role/Admin/alice'), eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', readOnly: true }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'CreateBucket' }),
    ],
  },
  'aws_sso_idp_change.yml': {
    fires: [record({ eventSource: 'sso.amazonaws.com', eventName: 'EnableExternalIdPConfigurationForDirectory' }), record({ eventSource: 'sso-directory.amazonaws.com', eventName: 'DisassociateDirectory' })],
    quiet: [record({ eventSource: 'sso.amazonaws.com', eventName: 'ListInstances' }), record({ eventSource: 'ds.amazonaws.com', eventName: 'DisassociateDirectory' })],
  },
  'aws_rds_public_db_restore.yml': {
    // RestoreDBInstanceFromDBSnapshot returns a DBInstance whose PubliclyAccessible is a boolean (RDS API Reference).
    fires: [record({ eventSource: 'rds.amazonaws.com', eventName: 'RestoreDBInstanceFromDBSnapshot', responseElements: { dBInstanceIdentifier: 'db1', publiclyAccessible: true } })],
    quiet: [
      record({ eventSource: 'rds.amazonaws.com', eventName: 'RestoreDBInstanceFromDBSnapshot', responseElements: { dBInstanceIdentifier: 'db1', publiclyAccessible: false } }),
      record({ eventSource: 'rds.amazonaws.com', eventName: 'CreateDBInstance', responseElements: { dBInstanceIdentifier: 'db2', publiclyAccessible: true } }),
    ],
  },
  'aws_enum_listing.yml': {
    fires: [record({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }), record({ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' })],
    quiet: [record({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' }), record({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' })],
  },
};

const conversions = new Map<string, SigmaConversion>(convertSigmaStrict(readSigmaSources(Object.keys(SAMPLES), VENDOR)).map((c) => [c.sigma.file, c]));

// Undefined keys stand for absent fields.
const clean = (r: Rec): Rec => JSON.parse(JSON.stringify(r)) as Rec;
const detailTypeOf = (r: Rec) => (r.eventType === 'AwsConsoleSignIn' ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail');

let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await athenaTable(Object.values(SAMPLES).flatMap(({ fires, quiet }) => [...fires, ...quiet].map((r) => clean(r) as Record<string, unknown>)));
});

describe.each(Object.entries(SAMPLES))('%s', (file, samples) => {
  const c = conversions.get(file)!;
  const cloudwatch = compileFilterPattern((renderSigma(c, 'cloudwatch') as unknown as { pattern: string }).pattern);
  const hasRegex = JSON.stringify(c.control.detection).includes('"op":"regex"') || JSON.stringify(c.control.detection).includes('"op":"notRegex"');
  // The match itself, count rules included (which `--to eventbridge` refuses: a rule cannot count).
  const eventbridge = hasRegex ? undefined : (eventBridgePatternFor(c.control) as unknown as Record<string, unknown>);
  const labelled = [...samples.fires.map((r) => [r, true] as const), ...samples.quiet.map((r) => [r, false] as const)];

  test('CloudWatch, EventBridge and SQL agree with every label', async () => {
    const where = renderCondition(normalize(detectionCondition(c.control.detection)), 'athena');
    const rows = (await conn.runAndReadAll(`SELECT eventid FROM cloudtrail_logs WHERE ${where}`)).getRowObjects() as { eventid: string }[];
    const sqlIds = new Set(rows.map((r) => r.eventid));
    for (const [raw, expected] of labelled) {
      const r = clean(raw);
      const got = {
        eventID: r.eventID,
        cloudwatch: cloudwatch.matchesEvent(r),
        sql: sqlIds.has(r.eventID as string),
        ...(eventbridge ? { eventbridge: eventMatches(eventbridge, asEventBridgeEvent(r, detailTypeOf(r))) } : {}),
      };
      expect(got).toEqual({ eventID: r.eventID, cloudwatch: expected, sql: expected, ...(eventbridge ? { eventbridge: expected } : {}) });
    }
  });
});

test('a rule that can match List*/Get*/Describe* calls says so (its EventBridge rule needs the read-only state)', () => {
  expect(canMatchWithheldReadOnlyCall(detectionCondition(conversions.get('aws_enum_buckets.yml')!.control.detection))).toBe(true);
  expect(canMatchWithheldReadOnlyCall(detectionCondition(conversions.get('aws_susp_saml_activity.yml')!.control.detection))).toBe(false);
});
