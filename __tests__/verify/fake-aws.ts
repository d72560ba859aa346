/**
 * A fake AWS for verify's checks: each SDK client's `send` answers by command name with an answer
 * in the shape the AWS API returns (field names and types as in the API reference; dates as Date,
 * as SDK v3 parses them). `deployedAsPlanned` answers what a correct deploy of the planned account
 * returns; a test then tampers one answer and expects the finding a user would see.
 */
import type { PlannedAccount } from '../../lib/verify/planned';
import { resourcesOf } from '../../lib/verify/planned';
import type { Clients } from '../../lib/verify/types';

/** verify's default settings (lib/verify/settings.ts), for tests. */
export const TEST_SETTINGS = { maxDeliveryAgeMinutes: 60, maxInsufficientDataHours: 24, maxDigestAgeHours: 3, ignoreAccounts: [] as string[] };

export type Answer = (input: any) => unknown;
export type Answers = Record<string, Answer>;

export interface Call {
  readonly service: keyof Clients;
  readonly command: string;
  readonly input: any;
}

/** An error as SDK v3 throws it for an AWS error code. */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export function fakeClients(answers: Answers, calls: Call[] = []): Clients {
  const client = (service: keyof Clients) => ({
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const name = command.constructor.name;
      calls.push({ service, command: name, input: command.input });
      const answer = answers[name];
      if (!answer) throw new Error(`fake AWS: no answer for ${name} ${JSON.stringify(command.input)}`);
      return answer(command.input);
    },
  });
  return Object.fromEntries((['cloudtrail', 'cloudwatch', 'logs', 'events', 'lambda', 'organizations', 's3', 'sns'] as const).map((s) => [s, client(s)])) as unknown as Clients;
}

type Rec = Record<string, any>;
const pascalSelector = (s: Rec) => ({
  Name: s.name,
  FieldSelectors: (s.field_selector ?? []).map((f: Rec) => ({
    Field: f.field,
    ...(f.equals ? { Equals: f.equals } : {}),
    ...(f.not_starts_with ? { NotStartsWith: f.not_starts_with } : {}),
    ...(f.starts_with ? { StartsWith: f.starts_with } : {}),
    ...(f.not_equals ? { NotEquals: f.not_equals } : {}),
    ...(f.ends_with ? { EndsWith: f.ends_with } : {}),
    ...(f.not_ends_with ? { NotEndsWith: f.not_ends_with } : {}),
  })),
});

/** The answers of an account (every region) deployed exactly as planned, `now` being the time of the check. */
export function deployedAsPlanned(account: PlannedAccount, now: Date, organizationAccounts: readonly string[] = []): Answers {
  const all = (type: string) => resourcesOf(account, type);
  const one = (type: string, key: string, value: unknown) => all(type).find((r) => r.values[key] === value)?.values;
  const notFound = (name: string) => {
    throw awsError(name);
  };
  const trail = (name: string) => one('aws_cloudtrail', 'name', name) ?? notFound('TrailNotFoundException');
  return {
    ListAccountsCommand: () => ({ Accounts: organizationAccounts.map((Id) => ({ Id, Name: `account ${Id}`, State: 'ACTIVE', Status: 'ACTIVE' })) }),
    ListAWSServiceAccessForOrganizationCommand: () => ({ EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com', DateEnabled: new Date('2026-01-01') }] }),
    GetTrailStatusCommand: ({ Name }) => (trail(Name), { IsLogging: true, LatestDeliveryTime: new Date(now.getTime() - 4 * 60_000), StartLoggingTime: new Date('2026-01-01') }),
    GetTrailCommand: ({ Name }) => {
      const t = trail(Name) as Rec;
      return {
        Trail: {
          Name,
          S3BucketName: t.s3_bucket_name,
          LogFileValidationEnabled: t.enable_log_file_validation ?? false,
          IsMultiRegionTrail: t.is_multi_region_trail ?? false,
          IsOrganizationTrail: t.is_organization_trail ?? false,
          IncludeGlobalServiceEvents: t.include_global_service_events ?? true,
          KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/0f5e6c5a-1111-4222-8333-944444444444',
          CloudWatchLogsLogGroupArn: t.cloud_watch_logs_group_arn,
          HasInsightSelectors: (t.insight_selector ?? []).length > 0,
        },
      };
    },
    GetEventSelectorsCommand: ({ TrailName }) => {
      const t = trail(TrailName) as Rec;
      return t.advanced_event_selector
        ? { TrailARN: `arn:aws:cloudtrail:us-east-1:${account.plan.accountId}:trail/${TrailName}`, AdvancedEventSelectors: t.advanced_event_selector.map(pascalSelector) }
        : { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] };
    },
    GetInsightSelectorsCommand: ({ TrailName }) => {
      const t = trail(TrailName) as Rec;
      if (!t.insight_selector) throw awsError('InsightNotEnabledException');
      return { InsightSelectors: t.insight_selector.map((s: Rec) => ({ InsightType: s.insight_type })) };
    },
    GetPublicAccessBlockCommand: ({ Bucket }) => {
      const p = (one('aws_s3_bucket_public_access_block', 'bucket', Bucket) as Rec | undefined) ?? notFound('NoSuchPublicAccessBlockConfiguration');
      return { PublicAccessBlockConfiguration: { BlockPublicAcls: p.block_public_acls, BlockPublicPolicy: p.block_public_policy, IgnorePublicAcls: p.ignore_public_acls, RestrictPublicBuckets: p.restrict_public_buckets } };
    },
    GetBucketEncryptionCommand: ({ Bucket }) => {
      const e = ((one('aws_s3_bucket_server_side_encryption_configuration', 'bucket', Bucket) as Rec | undefined) ?? notFound('ServerSideEncryptionConfigurationNotFoundError')).rule[0];
      const d = e.apply_server_side_encryption_by_default;
      return {
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: d.sse_algorithm, ...(d.sse_algorithm === 'aws:kms' ? { KMSMasterKeyID: d.kms_master_key_id ?? 'arn:aws:kms:us-east-1:222222222222:key/k' } : {}) }, BucketKeyEnabled: e.bucket_key_enabled }],
        },
      };
    },
    GetBucketVersioningCommand: ({ Bucket }) => ({ Status: (one('aws_s3_bucket_versioning', 'bucket', Bucket) as Rec | undefined)?.versioning_configuration.status }),
    GetObjectLockConfigurationCommand: ({ Bucket }) => {
      const r = ((one('aws_s3_bucket_object_lock_configuration', 'bucket', Bucket) as Rec | undefined) ?? notFound('ObjectLockConfigurationNotFoundError')).rule.default_retention;
      return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: r.mode, ...(r.days ? { Days: r.days } : { Years: r.years }) } } } };
    },
    // One digest file per hour, the newest 40 minutes ago, in every digest folder asked for.
    ListObjectsV2Command: ({ Bucket, Prefix }) => {
      if (!all('aws_s3_bucket').some((b) => b.values.bucket === Bucket)) throw awsError('NoSuchBucket');
      return { Contents: String(Prefix).includes('/CloudTrail-Digest/') ? [{ Key: `${Prefix}digest.json.gz`, LastModified: new Date(now.getTime() - 40 * 60_000), Size: 700 }] : [], KeyCount: 1 };
    },
    GetBucketPolicyCommand: ({ Bucket }) => ({ Policy: (one('aws_s3_bucket_policy', 'bucket', Bucket) as Rec | undefined)?.policy ?? notFound('NoSuchBucketPolicy') }),
    DescribeMetricFiltersCommand: ({ logGroupName }) => {
      const filters = all('aws_cloudwatch_log_metric_filter').filter((f) => f.values.log_group_name === logGroupName);
      if (filters.length === 0) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      return { metricFilters: filters.map((f) => ({ filterName: f.values.name, filterPattern: f.values.pattern, logGroupName, creationTime: 1764547200000, metricTransformations: [] })) };
    },
    DescribeAlarmsCommand: ({ AlarmNames }) => ({
      MetricAlarms: all('aws_cloudwatch_metric_alarm')
        .filter((a) => AlarmNames.includes(a.values.alarm_name))
        .map((a) => ({
          AlarmName: a.values.alarm_name,
          ActionsEnabled: a.values.actions_enabled ?? true,
          AlarmActions: a.values.alarm_actions,
          OKActions: a.values.ok_actions,
          StateValue: 'OK',
          StateReason: 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
          StateUpdatedTimestamp: new Date('2026-12-01T00:00:00Z'),
        })),
    }),
    GetTopicAttributesCommand: ({ TopicArn }) => {
      const topic = all('aws_sns_topic').find((t) => `arn:aws:sns:${t.region}:${account.plan.accountId}:${t.values.name}` === TopicArn) ?? notFound('NotFoundException');
      const policy = all('aws_sns_topic_policy').find((p) => p.values.arn === TopicArn)?.values.policy;
      return { Attributes: { TopicArn, ...(topic.values?.kms_master_key_id !== undefined || 'kms_master_key_id' in (topic.values ?? {}) ? { KmsMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k' } : {}), ...(policy ? { Policy: policy } : {}) } };
    },
    ListSubscriptionsByTopicCommand: ({ TopicArn }) => ({
      Subscriptions: all('aws_sns_topic_subscription')
        .filter((s) => s.values.topic_arn === TopicArn)
        .map((s) => ({ Protocol: s.values.protocol, Endpoint: s.values.endpoint, TopicArn, Owner: account.plan.accountId, SubscriptionArn: `${TopicArn}:1b2d3c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d` })),
    }),
    ListRulesCommand: ({ EventBusName }) => ({
      Rules: all('aws_cloudwatch_event_rule')
        .filter((r) => (r.values.event_bus_name ?? 'default') === EventBusName)
        .map((r) => ({ Name: r.values.name, EventPattern: r.values.event_pattern, State: r.values.state ?? 'ENABLED', EventBusName })),
    }),
    ListTargetsByRuleCommand: ({ Rule, EventBusName }) => ({
      Targets: all('aws_cloudwatch_event_target')
        .filter((t) => t.values.rule === Rule && (t.values.event_bus_name ?? 'default') === EventBusName)
        .map((t) => ({ Id: t.values.target_id, Arn: t.values.arn ?? 'arn:aws:sns:us-east-1:111111111111:x' })),
    }),
    DescribeEventBusCommand: ({ Name }) => {
      const policy = all('aws_cloudwatch_event_bus_policy').find((p) => p.values.event_bus_name === Name)?.values.policy;
      return { Name, Arn: `arn:aws:events:us-east-1:${account.plan.accountId}:event-bus/${Name}`, ...(policy ? { Policy: policy } : {}) };
    },
    GetFunctionConfigurationCommand: ({ FunctionName }) => {
      const f = one('aws_lambda_function', 'function_name', FunctionName) ?? notFound('ResourceNotFoundException');
      return { FunctionName, Runtime: f.runtime, State: 'Active', LastUpdateStatus: 'Successful' };
    },
  };
}
