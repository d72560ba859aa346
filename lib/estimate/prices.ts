/**
 * AWS list prices used by `trailwatch estimate`: us-east-1, on-demand, without free tiers (the
 * estimate is an upper bound a team can budget with), each with where it was read and when. Prices
 * change: update a value, its `source` and `read` together, and `npx jest __tests__/estimate` shows
 * which hand-computed expectations move. Where the stored AWS page did not show the number, the
 * entry says so and names where the value comes from.
 */

export interface Price {
  /** USD per `per` units of `unit`. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
  /** Date the source was read (YYYY-MM-DD). */
  readonly read: string;
  readonly note?: string;
}

export const PRICES_READ = '2026-11-27';

const CLOUDTRAIL = 'https://aws.amazon.com/cloudtrail/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const NOT_FOUND = 'not found in stored docs, value from';

export const PRICES = {
  cloudtrailManagementCopy: {
    usd: 2.0,
    per: 100_000,
    unit: 'management events',
    note: 'the first copy of management events is free; each additional trail logging them pays this',
    source: CLOUDTRAIL,
    read: PRICES_READ,
  },
  cloudtrailDataEvents: { usd: 0.1, per: 100_000, unit: 'data events delivered', source: CLOUDTRAIL, read: PRICES_READ },
  cloudtrailInsights: {
    usd: 0.35,
    per: 100_000,
    unit: 'events analyzed per Insights type',
    source: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/insights-events-costs.html (what is counted)',
    read: PRICES_READ,
    note: `rate ${NOT_FOUND} the AWS CloudTrail pricing page as commonly quoted; verify at ${CLOUDTRAIL}`,
  },
  logsIngestion: {
    usd: 0.5,
    per: 1,
    unit: 'GB ingested into CloudWatch Logs (Standard class)',
    source: 'https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/',
    read: PRICES_READ,
    note: `the stored ${CLOUDWATCH} page does not show the rate; value from the cited page, which quotes it`,
  },
  logsStorage: {
    usd: 0.03,
    per: 1,
    unit: 'GB-month stored in CloudWatch Logs (compressed)',
    source: CLOUDWATCH,
    read: PRICES_READ,
    note: `${NOT_FOUND} the CloudWatch pricing page as commonly quoted; verify`,
  },
  customMetric: {
    usd: 0.3,
    per: 1,
    unit: 'custom metric-month (first 10,000 metrics); every metric filter publishes one',
    source: 'https://signoz.io/guides/cloudwatch-pricing',
    read: PRICES_READ,
    note: `the stored ${CLOUDWATCH} page does not show the rate; value from the cited page, which quotes it`,
  },
  alarm: {
    usd: 0.1,
    per: 1,
    unit: 'standard-resolution alarm-month',
    source: CLOUDWATCH,
    read: PRICES_READ,
    note: `${NOT_FOUND} the CloudWatch pricing page as commonly quoted; verify`,
  },
  kmsKey: {
    usd: 1.0,
    per: 1,
    unit: 'customer-managed key-month',
    source: KMS,
    read: PRICES_READ,
  },
  kmsRotatedVersion: {
    usd: 1.0,
    per: 1,
    unit: 'rotated key material version-month (the first and second rotation of a key; later rotations are not billed)',
    source: `${KMS} and https://aws.amazon.com/blogs/security/the-curious-case-of-faster-aws-kms-symmetric-key-rotation/`,
    read: PRICES_READ,
    note: 'the stored pricing page says each newly generated backing key costs an additional $1/month; the stored AWS Security Blog post (April 2024) announces a limit on the price of keys with two or more rotations; that the limit is the first two rotations ($3 a month a key) is the pricing page as commonly quoted: verify',
  },
  kmsRequests: {
    usd: 0.03,
    per: 10_000,
    unit: 'KMS requests',
    source: 'https://www.wring.co/blog/aws-kms-pricing-guide',
    read: PRICES_READ,
    note: `the stored ${KMS} page was cut before the rate; value from the cited page`,
  },
  eventbridgeCrossAccount: {
    usd: 1.0,
    per: 1_000_000,
    unit: 'events delivered to an event bus in another account',
    source: 'https://cloudburn.io/blog/amazon-eventbridge-pricing',
    read: PRICES_READ,
    note: `${NOT_FOUND} the cited page (AWS's page https://aws.amazon.com/eventbridge/pricing/ is not stored)`,
  },
  contributorRule: {
    usd: 0.5,
    per: 1,
    unit: 'Contributor Insights rule-month',
    source: CLOUDWATCH,
    read: PRICES_READ,
    note: `the stored ${CLOUDWATCH} page shows only the free tier for Contributor Insights for CloudWatch Logs (1 rule and the first 1 million matched log events a month); rate as commonly quoted from that page, verify`,
  },
  contributorMatchedEvents: {
    usd: 0.02,
    per: 1_000_000,
    unit: 'log events matched by a Contributor Insights rule',
    source: CLOUDWATCH,
    read: PRICES_READ,
    note: `the stored ${CLOUDWATCH} page shows only the free tier (first 1 million matched log events); rate as commonly quoted from that page, verify`,
  },
  snsPublish: {
    usd: 0.5,
    per: 1_000_000,
    unit: 'SNS publishes (standard topic)',
    source: 'https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/',
    read: PRICES_READ,
    note: `${NOT_FOUND} the cited page (https://aws.amazon.com/sns/pricing/ is not stored)`,
  },
  snsEmail: {
    usd: 2.0,
    per: 100_000,
    unit: 'email notifications',
    source: 'https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/',
    read: PRICES_READ,
    note: `${NOT_FOUND} the cited page`,
  },
  snsHttp: {
    usd: 0.6,
    per: 1_000_000,
    unit: 'HTTP/S notifications',
    source: 'https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/',
    read: PRICES_READ,
    note: `${NOT_FOUND} the cited page`,
  },
  lambdaRequests: {
    usd: 0.2,
    per: 1_000_000,
    unit: 'Lambda invocations',
    source: 'https://aws.amazon.com/lambda/pricing/',
    read: PRICES_READ,
    note: `${NOT_FOUND} the Lambda pricing page as commonly quoted; verify`,
  },
  lambdaCompute: {
    usd: 0.0000166667,
    per: 1,
    unit: 'GB-second of Lambda compute (x86)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    read: PRICES_READ,
    note: `${NOT_FOUND} the Lambda pricing page as commonly quoted; verify`,
  },
  s3Put: {
    usd: 0.005,
    per: 1_000,
    unit: 'S3 PUT requests (one per delivered log file)',
    source: S3,
    read: PRICES_READ,
    note: `${NOT_FOUND} the S3 pricing page as commonly quoted; verify`,
  },
  s3Standard: {
    usd: 0.023,
    per: 1,
    unit: 'GB-month in S3 Standard (first 50 TB)',
    source: 'https://go-cloud.io/?p=10624',
    read: PRICES_READ,
    note: `${NOT_FOUND} the cited page (the stored ${S3} page lists no rates)`,
  },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/** Storage price per GB-month and lifecycle transition price per 1,000 objects, by S3 storage class. */
export interface StorageClassPrice {
  readonly storage: Price;
  readonly transitionPer1000: number;
}

const s3Class = (usd: number, unit: string, note: string): Price => ({ usd, per: 1, unit, source: S3, read: PRICES_READ, note });

export const S3_CLASS_PRICES: Readonly<Record<string, StorageClassPrice>> = {
  STANDARD_IA: { storage: s3Class(0.0125, 'GB-month in S3 Standard-IA', `${NOT_FOUND} the S3 pricing page as commonly quoted; verify`), transitionPer1000: 0.01 },
  INTELLIGENT_TIERING: { storage: s3Class(0.023, 'GB-month in S3 Intelligent-Tiering (frequent tier; monitoring fee not modelled)', `${NOT_FOUND} the S3 pricing page as commonly quoted; verify`), transitionPer1000: 0.01 },
  ONEZONE_IA: { storage: s3Class(0.01, 'GB-month in S3 One Zone-IA', `${NOT_FOUND} the S3 pricing page as commonly quoted; verify`), transitionPer1000: 0.01 },
  GLACIER_IR: { storage: s3Class(0.004, 'GB-month in S3 Glacier Instant Retrieval', `${NOT_FOUND} the S3 pricing page as commonly quoted; https://www.demo.wlid.nl/s3-storage-classes.html (stored) puts it at 20% of Standard`), transitionPer1000: 0.02 },
  GLACIER: { storage: s3Class(0.0036, 'GB-month in S3 Glacier Flexible Retrieval', `${NOT_FOUND} the S3 pricing page as commonly quoted; verify`), transitionPer1000: 0.03 },
  DEEP_ARCHIVE: { storage: s3Class(0.00099, 'GB-month in S3 Glacier Deep Archive', `value from https://go-cloud.io/?p=10624 (stored); transition price ${NOT_FOUND} the S3 pricing page as commonly quoted`), transitionPer1000: 0.05 },
};
