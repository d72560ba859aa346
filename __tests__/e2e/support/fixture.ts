/**
 * A small stack with one resource of each kind the API checks look at (trails with Insights, event
 * and advanced event selectors, a log group with a metric filter, an alarm on a topic, an email
 * subscription, an EventBridge rule whose target has an input transformer). The e2e test deploys
 * it to prove the checks see what exists and report what differs, whatever the example's stacks
 * hold at the time. It goes through RegionalProviders, so it gets the emulator settings exactly as
 * the account stacks do.
 */
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import { RegionalProviders } from '../../../lib/providers/regional-providers';

export const FIXTURE_STACK = 'e2e-fixture';
export const FIXTURE_ACCOUNT = '777777777777';
export const FIXTURE_REGION = 'us-east-1';

/** Names the test tampers with out of band. */
export const FIXTURE = {
  trail: 'e2e-trail',
  quietTrail: 'e2e-quiet-trail',
  alarm: 'e2e-root-usage',
  rule: 'e2e-insights',
  targetId: 'alerts',
} as const;

/** Synthesizes the fixture into `outdir`; its local state goes to `<outdir>/../terraform-state`. */
export function synthFixture(outdir: string): string {
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(app, FIXTURE_STACK);
  new LocalBackend(stack, { path: `../../../terraform-state/${FIXTURE_STACK}.tfstate` });
  const { primary: provider } = new RegionalProviders(stack, 'providers', {
    accountId: FIXTURE_ACCOUNT,
    regions: [FIXTURE_REGION],
    primaryRegion: FIXTURE_REGION,
    access: { roleArn: `arn:aws:iam::${FIXTURE_ACCOUNT}:role/OrganizationAccountAccessRole`, sessionName: 'trailwatch-e2e' },
    tags: { ManagedBy: 'trailwatch-e2e' },
  });

  const bucket = new S3Bucket(stack, 'bucket', { provider, bucket: 'trailwatch-e2e-fixture-logs', forceDestroy: true });
  // CloudTrail refuses a bucket whose policy does not admit it (CloudTrail user guide, "Amazon S3
  // bucket policy for CloudTrail"), and so does the strict emulator.
  const trailArns = [FIXTURE.trail, FIXTURE.quietTrail].map((t) => `arn:aws:cloudtrail:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:trail/${t}`);
  const policy = new S3BucketPolicy(stack, 'bucket-policy', {
    provider,
    bucket: bucket.bucket,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: 'arn:aws:s3:::trailwatch-e2e-fixture-logs',
          Condition: { StringEquals: { 'aws:SourceArn': trailArns } },
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::trailwatch-e2e-fixture-logs/AWSLogs/${FIXTURE_ACCOUNT}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArns } },
        },
      ],
    }),
  });
  new Cloudtrail(stack, 'trail', {
    provider,
    dependsOn: [policy],
    name: FIXTURE.trail,
    s3BucketName: bucket.bucket,
    isMultiRegionTrail: true,
    insightSelector: [{ insightType: 'ApiCallRateInsight' }, { insightType: 'ApiErrorRateInsight' }],
    eventSelector: [{ readWriteType: 'WriteOnly', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] }],
  });
  new Cloudtrail(stack, 'quiet-trail', {
    provider,
    name: FIXTURE.quietTrail,
    dependsOn: [policy],
    s3BucketName: bucket.bucket,
    enableLogging: false,
    advancedEventSelector: [
      {
        name: 'management writes',
        fieldSelector: [
          { field: 'eventCategory', equalTo: ['Management'] },
          { field: 'readOnly', equalTo: ['false'] },
        ],
      },
    ],
  });

  const logGroup = new CloudwatchLogGroup(stack, 'log-group', { provider, name: 'e2e/trail', retentionInDays: 30 });
  new CloudwatchLogMetricFilter(stack, 'filter', {
    provider,
    name: 'e2e-root-usage',
    logGroupName: logGroup.name,
    pattern: '{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }',
    metricTransformation: { name: 'RootUsage', namespace: 'TrailwatchE2E', value: '1' },
  });
  const topic = new SnsTopic(stack, 'topic', { provider, name: 'e2e-alerts' });
  new SnsTopicSubscription(stack, 'email', { provider, topicArn: topic.arn, protocol: 'email', endpoint: 'security@example.com' });
  new CloudwatchMetricAlarm(stack, 'alarm', {
    provider,
    alarmName: FIXTURE.alarm,
    namespace: 'TrailwatchE2E',
    metricName: 'RootUsage',
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    alarmActions: [topic.arn],
  });
  const rule = new CloudwatchEventRule(stack, 'rule', {
    provider,
    name: FIXTURE.rule,
    eventPattern: JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS Insight via CloudTrail'] }),
  });
  new CloudwatchEventTarget(stack, 'target', {
    provider,
    rule: rule.name,
    targetId: FIXTURE.targetId,
    arn: topic.arn,
    inputTransformer: {
      inputPaths: { insight: '$.detail.insightDetails.insightType', account: '$.account' },
      inputTemplate: '"CloudTrail Insight <insight> in account <account>"',
    },
  });

  app.synth();
  return path.join(outdir, 'stacks', FIXTURE_STACK);
}
