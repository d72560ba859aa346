/**
 * The AWS limits a trailwatch deployment can run into, as data: each with the page that states it.
 * `hard`: AWS refuses the call past it (a config that reaches it is an error). `default`: a default
 * quota the account can raise, so reaching it is a warning that names the quota and how to raise it.
 * `checkedBy` marks limits another check already enforces (listed here so the README table is whole).
 * Read 2026-11-27 from the stored AWS documentation (the search tool's docs/pages corpora).
 */

export type LimitKind = 'hard' | 'default';

export interface AwsLimit {
  readonly id: string;
  readonly service: string;
  /** What is counted, in words ("metric filters per log group"). */
  readonly what: string;
  readonly limit: number;
  readonly unit?: string;
  readonly kind: LimitKind;
  /** The AWS documentation page that states the limit. */
  readonly source: string;
  /** How to raise a default quota (Service Quotas name and code where one exists). */
  readonly raise?: string;
  /** Where the limit is enforced when not by lib/quotas. */
  readonly checkedBy?: string;
}

const PUT_METRIC_FILTER = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html';
const EVENTBRIDGE_QUOTAS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html';
const CLOUDTRAIL_QUOTAS = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html';

export const LIMITS = {
  metricFiltersPerLogGroup: {
    id: 'metric-filters-per-log-group',
    service: 'CloudWatch Logs',
    what: 'metric filters per log group',
    limit: 100,
    kind: 'hard',
    source: PUT_METRIC_FILTER,
  },
  regexPerFilter: {
    id: 'regex-per-filter',
    service: 'CloudWatch Logs',
    what: 'regular expressions (%...%) in one filter pattern',
    limit: 2,
    kind: 'hard',
    source: PUT_METRIC_FILTER,
    checkedBy: 'the filter-pattern lint rule too-many-regexes',
  },
  regexPerLogGroup: {
    id: 'regex-per-log-group',
    service: 'CloudWatch Logs',
    what: 'regular expressions (%...%) in the filter patterns of one log group',
    limit: 5,
    kind: 'hard',
    source: PUT_METRIC_FILTER,
  },
  filterPatternLength: {
    id: 'filter-pattern-length',
    service: 'CloudWatch Logs',
    what: 'characters in a filter pattern',
    limit: 1024,
    kind: 'hard',
    source: PUT_METRIC_FILTER,
    checkedBy: 'the filter-pattern lint rule too-long (every detection is linted when the config is loaded)',
  },
  alarmActions: {
    id: 'alarm-actions',
    service: 'CloudWatch',
    what: 'actions per alarm state (trailwatch sets one: the alert topic); there is no limit on the number of alarms per account',
    limit: 5,
    kind: 'hard',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html',
    checkedBy: 'by construction (one topic per state)',
  },
  contributorInsightsRules: {
    id: 'contributor-insights-rules',
    service: 'CloudWatch',
    what: 'Contributor Insights rules per account and region',
    limit: 100,
    kind: 'default',
    // "Contributor Insights rules: 100 rules per Region per account" (CloudWatch service quotas).
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html',
    raise: 'Service Quotas console, Amazon CloudWatch, the Contributor Insights rules quota (or AWS Support), in the account and region of the trail\'s log group',
  },
  rulesPerBus: {
    id: 'rules-per-event-bus',
    service: 'EventBridge',
    what: 'rules per event bus (per account and region)',
    limit: 300,
    kind: 'default',
    source: EVENTBRIDGE_QUOTAS,
    // Code as public Service Quotas listings name it ("Number of rules", default 300).
    raise: 'Service Quotas, Amazon EventBridge, "Number of rules" (L-244521F2: aws service-quotas request-service-quota-increase --service-code events --quota-code L-244521F2 --desired-value N), in each account and region named',
  },
  wildcardRulesPerBus: {
    id: 'wildcard-rules-per-event-bus',
    service: 'EventBridge',
    what: 'rules whose event pattern uses a wildcard, per event bus',
    limit: 30,
    kind: 'hard',
    source: EVENTBRIDGE_QUOTAS,
  },
  eventPatternSize: {
    id: 'event-pattern-size',
    service: 'EventBridge',
    what: 'characters in an event pattern',
    limit: 2048,
    unit: 'characters',
    kind: 'default',
    source: EVENTBRIDGE_QUOTAS,
    raise: 'Service Quotas, Amazon EventBridge, "Event pattern size" (L-664C5505), in each account and region named',
  },
  trailsPerRegion: {
    id: 'trails-per-region',
    service: 'CloudTrail',
    what: 'trails per account and region (trails you already have count too)',
    limit: 5,
    kind: 'hard',
    source: CLOUDTRAIL_QUOTAS,
  },
  eventSelectors: {
    id: 'event-selectors',
    service: 'CloudTrail',
    what: 'basic event selectors per trail; 250 data resources in them; 500 values in all advanced selector conditions',
    limit: 5,
    kind: 'hard',
    source: CLOUDTRAIL_QUOTAS,
    checkedBy: 'the trail checks (lib/trail/check.ts), counted on the selectors that would be rendered',
  },
  bucketPolicySize: {
    id: 'bucket-policy-size',
    service: 'S3',
    what: 'bytes in the archive bucket policy',
    limit: 20 * 1024,
    unit: 'bytes',
    kind: 'hard',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html',
  },
  keyPolicySize: {
    id: 'key-policy-size',
    service: 'KMS',
    what: 'bytes in the archive key policy',
    limit: 32 * 1024,
    unit: 'bytes',
    kind: 'hard',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
  },
  subscriptionsPerTopic: {
    id: 'subscriptions-per-topic',
    service: 'SNS',
    what: 'subscriptions per standard topic',
    limit: 12_500_000,
    kind: 'default',
    source: 'https://docs.aws.amazon.com/general/latest/gr/sns.html',
    raise: 'Service Quotas console, Amazon SNS, "Subscriptions per standard topic"',
  },
  lambdaConcurrency: {
    id: 'lambda-concurrency',
    service: 'Lambda',
    what: 'concurrent executions left unreserved in the account after a reservation',
    limit: 100,
    kind: 'default',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    raise: 'Service Quotas console, AWS Lambda, "Concurrent executions" (L-B99A9384; default 1,000, new accounts may start lower): aws lambda get-account-settings shows it',
  },
} as const satisfies Record<string, AwsLimit>;

export const ALL_LIMITS: readonly AwsLimit[] = Object.values(LIMITS);
