/**
 * `trail:` section of trailwatch.yaml: the CloudTrail trail, its hardened log archive, event
 * selectors, Insights, and the `existing` mode for trails owned by someone else.
 *
 * The schema checks one value at a time (types, names, ARNs, enums); `trailProblems` (./check.ts)
 * checks what needs the whole config (selector limits and exclusivity, lifecycle order, accounts
 * named by name). Defaults are documented here (`@default`) and applied where they are used: names
 * in ./plan.ts, everything else in the constructs of this folder.
 */
import { z } from 'zod';
import { CLOUDTRAIL_PRINCIPAL } from '../core/policy';
import { REGION_NAMES } from '../core/regions';
import { DEFAULT_RETENTION_DAYS, LOG_RETENTION_DAYS, MIN_RECOMMENDED_RETENTION_DAYS } from '../core/retention';
import type { OrganizationConfig } from '../core/organization';

export const TRAIL_MODES = ['organization', 'account', 'existing'] as const;
export type TrailMode = (typeof TRAIL_MODES)[number];
export const DEFAULT_TRAIL_MODE: TrailMode = 'organization';
export const DEFAULT_TRAIL_NAME = 'trailwatch';
export const DEFAULT_LOG_GROUP_NAME = 'aws-cloudtrail-logs/trailwatch';

/** A value as problems quote it. */
export const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));

export { LOG_RETENTION_DAYS, MIN_RECOMMENDED_RETENTION_DAYS } from '../core/retention';

export const READ_WRITE_TYPES = ['All', 'ReadOnly', 'WriteOnly'] as const;
export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;
/** Management events a trail logs when the config says nothing (`managementEvents.readWriteType`). */
export const DEFAULT_READ_WRITE_TYPE: (typeof READ_WRITE_TYPES)[number] = 'All';
/** Insights a trail analyses when the config says nothing (`insights`): both kinds. */
export const DEFAULT_INSIGHT_TYPES: readonly (typeof INSIGHT_TYPES)[number][] = INSIGHT_TYPES;
/** The only management event sources CloudTrail lets a trail exclude (both are very high volume). */
export const EXCLUDABLE_MANAGEMENT_SOURCES = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] as const;
/** Fields an advanced event selector of a trail may filter on. */
export const ADVANCED_SELECTOR_FIELDS = [
  'eventCategory',
  'eventSource',
  'eventName',
  'eventType',
  'readOnly',
  'resources.type',
  'resources.ARN',
  'errorCode',
  'sessionCredentialFromConsole',
  'userIdentity.arn',
  'vpcEndpointId',
] as const;
/** Field-selector operators, as written in trailwatch.yaml (Terraform: equals, not_equals, ...). */
export const FIELD_OPERATORS = ['equals', 'notEquals', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'] as const;
export const BASIC_DATA_RESOURCE_TYPES = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'] as const;
/** S3 storage classes a lifecycle rule can move objects to, in the order S3 allows (each may only move down). */
export const TRANSITION_STORAGE_CLASSES = ['STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
/**
 * S3's default minimum object size for lifecycle transitions (PutBucketLifecycleConfiguration
 * TransitionDefaultMinimumObjectSize): `all_storage_classes_128K` moves no object under 128 KB;
 * `varies_by_storage_class` moves small objects to GLACIER and DEEP_ARCHIVE only. README "Trail"
 * ("Small log files and lifecycle transitions") says why trailwatch keeps the first.
 */
export const TRANSITION_MINIMUM_SIZES = ['all_storage_classes_128K', 'varies_by_storage_class'] as const;
export type TransitionMinimumSize = (typeof TRANSITION_MINIMUM_SIZES)[number];
export const DEFAULT_TRANSITION_MINIMUM_SIZE: TransitionMinimumSize = 'all_storage_classes_128K';

/** Limits CloudTrail enforces (PutEventSelectors). */
export const MAX_BASIC_SELECTORS = 5;
export const MAX_BASIC_DATA_RESOURCES = 250;
export const MAX_ADVANCED_VALUES = 500;

const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|--x-s3|\.\.))(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const bucketName = (what: string) =>
  z
    .string({ error: (iss) => `expected an S3 bucket name for ${what}, got ${show(iss.input)}` })
    .regex(BUCKET_NAME, {
      error: (iss) => `expected an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit), got ${show(iss.input)}`,
    });

const positiveDays = (what: string, max = 36500) =>
  z
    .number({ error: (iss) => `expected a number of days for ${what}, got ${show(iss.input)}` })
    .int({ error: (iss) => `expected a whole number of days, got ${show(iss.input)}` })
    .min(1, { error: (iss) => `expected at least 1 day, got ${show(iss.input)}` })
    .max(max, { error: (iss) => `expected at most ${max} days, got ${show(iss.input)}` });

const readWriteType = z.enum(READ_WRITE_TYPES, {
  error: (iss) => `expected one of ${READ_WRITE_TYPES.join(', ')}, got ${show(iss.input)}`,
});

const S3_TARGET = /^(?:arn:aws:s3:::)?[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/.*)?$/;
const LAMBDA_ARN = /^arn:aws:lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]{1,128})?$/;
const DYNAMODB_ARN = /^arn:aws:dynamodb:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

const allOrList = (what: string, item: z.ZodString, example: string) =>
  z.union(
    [
      z.literal('all'),
      z
        .array(item)
        .min(1, { error: `expected at least one ${what}; write \`all\` for every ${what}, or remove the key` })
        .refine((xs) => new Set(xs).size === xs.length, { error: `lists a ${what} more than once` }),
    ],
    { error: (iss) => `expected \`all\` or a list of ${what}s (e.g. [${example}]), got ${show(iss.input)}` },
  );

const DataEventsSchema = z
  .strictObject({
    s3: allOrList(
      'bucket',
      z.string().regex(S3_TARGET, {
        error: (iss) => `expected a bucket name, "arn:aws:s3:::<bucket>" or "arn:aws:s3:::<bucket>/<prefix>", got ${show(iss.input)}`,
      }),
      'my-bucket, arn:aws:s3:::other-bucket/prefix/',
    )
      .optional()
      .meta({
        description:
          'S3 object-level events: `all` buckets, or a list of bucket names / `arn:aws:s3:::bucket[/prefix]`. With `all`, the archive and access-log buckets are excluded (see excludeArchiveBuckets).',
      }),
    lambda: allOrList(
      'function',
      z.string().regex(LAMBDA_ARN, { error: (iss) => `expected a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), got ${show(iss.input)}` }),
      'arn:aws:lambda:us-east-1:111111111111:function:payments',
    )
      .optional()
      .meta({ description: 'Lambda Invoke events: `all` functions or a list of function ARNs.' }),
    dynamodb: allOrList(
      'table',
      z.string().regex(DYNAMODB_ARN, { error: (iss) => `expected a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>), got ${show(iss.input)}` }),
      'arn:aws:dynamodb:us-east-1:111111111111:table/orders',
    )
      .optional()
      .meta({ description: 'DynamoDB item-level events: `all` tables or a list of table ARNs.' }),
    readWriteType: readWriteType.optional().meta({ description: 'Which data events: All, ReadOnly or WriteOnly. @default All' }),
    excludeArchiveBuckets: z
      .boolean()
      .optional()
      .meta({
        description:
          "With `s3: all`, leave out the trail's own archive and access-log buckets; otherwise every log delivery is itself logged, which is logged again, in a feedback loop. Needs advanced selectors. @default true",
      }),
  })
  .meta({ description: 'Data events (object-level operations), in the simple form trailwatch renders as selectors of `selectorStyle`.' });

const operatorValues = (op: string) =>
  z
    .array(z.string().min(1, { error: 'expected a non-empty value' }).max(2048))
    .min(1, { error: `expected at least one value for ${op}; remove the key if it is not used` })
    .optional();

const FieldSelectorSchema = z
  .strictObject({
    field: z
      .enum(ADVANCED_SELECTOR_FIELDS, { error: (iss) => `unknown field ${show(iss.input)}; expected one of ${ADVANCED_SELECTOR_FIELDS.join(', ')}` })
      .meta({ description: 'The event field compared.' }),
    equals: operatorValues('equals').meta({ description: 'The field equals one of these values.' }),
    notEquals: operatorValues('notEquals').meta({ description: 'The field equals none of these values.' }),
    startsWith: operatorValues('startsWith').meta({ description: 'The field starts with one of these values.' }),
    notStartsWith: operatorValues('notStartsWith').meta({ description: 'The field starts with none of these values.' }),
    endsWith: operatorValues('endsWith').meta({ description: 'The field ends with one of these values.' }),
    notEndsWith: operatorValues('notEndsWith').meta({ description: 'The field ends with none of these values.' }),
  })
  .meta({ description: 'One condition of an advanced event selector: a field and one or more operators with values.' });

export type FieldSelectorConfig = z.output<typeof FieldSelectorSchema>;

const AdvancedSelectorSchema = z
  .strictObject({
    name: z.string().min(1).max(1000).optional().meta({ description: 'A name for the selector, shown in the console.' }),
    fieldSelectors: z
      .array(FieldSelectorSchema)
      .min(1, { error: 'expected at least one field selector (eventCategory is required)' })
      .meta({ description: 'Conditions, all of which an event must match. Must include `eventCategory`.' }),
  })
  .meta({ description: 'An advanced event selector, written as-is into the trail (Terraform advanced_event_selector).' });

const BasicSelectorSchema = z
  .strictObject({
    readWriteType: readWriteType.optional().meta({ description: '@default All' }),
    includeManagementEvents: z
      .boolean()
      .optional()
      .meta({ description: 'Whether this selector also selects management events (the trail already has one from managementEvents). @default false' }),
    excludeManagementEventSources: z
      .array(z.enum(EXCLUDABLE_MANAGEMENT_SOURCES, { error: (iss) => `expected one of ${EXCLUDABLE_MANAGEMENT_SOURCES.join(', ')}, got ${show(iss.input)}` }))
      .optional()
      .meta({ description: 'Management event sources left out. @default none' }),
    dataResources: z
      .array(
        z.strictObject({
          type: z
            .enum(BASIC_DATA_RESOURCE_TYPES, { error: (iss) => `expected one of ${BASIC_DATA_RESOURCE_TYPES.join(', ')}, got ${show(iss.input)}` })
            .meta({ description: 'Resource type of the data events.' }),
          values: z
            .array(z.string().regex(/^arn:aws:[a-z0-9]+(?::.*)?$/, { error: (iss) => `expected an ARN or ARN prefix (e.g. arn:aws:s3:::bucket/), got ${show(iss.input)}` }))
            .min(1, { error: 'expected at least one ARN' })
            .meta({ description: 'ARNs or ARN prefixes (arn:aws:s3:::bucket/, or arn:aws:s3 for every bucket).' }),
        }),
      )
      .optional()
      .meta({ description: 'Data resources: a type and ARNs (or ARN prefixes). @default none' }),
  })
  .meta({ description: 'A basic event selector, written as-is into the trail (Terraform event_selector).' });

const TransitionSchema = z.strictObject({
  days: positiveDays('the transition').meta({ description: 'Days after a log file is written.' }),
  storageClass: z
    .enum(TRANSITION_STORAGE_CLASSES, { error: (iss) => `expected one of ${TRANSITION_STORAGE_CLASSES.join(', ')}, got ${show(iss.input)}` })
    .meta({ description: 'Storage class the log files move to.' }),
});

/** Athena: the smallest bytes-scanned cutoff a workgroup accepts (10 MB). */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
export const QUERY_ACCOUNTS = ['security', 'log-archive'] as const;
const ISO_DAY = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

const QuerySchema = z
  .strictObject({
    engine: z
      .literal('athena', { error: (iss) => `expected athena (the only query engine), got ${show(iss.input)}` })
      .meta({ description: 'The query engine over the archive: Amazon Athena (a Glue table with partition projection, a workgroup, a query role).' }),
    account: z
      .enum(QUERY_ACCOUNTS, { error: (iss) => `expected ${QUERY_ACCOUNTS.join(' or ')}, got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Account (by role) holding the table, the workgroup, its results bucket and the query role. @default security (log-archive when the organization has no security account)' }),
    database: z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/, { error: (iss) => `expected a Glue database name (lower-case letters, digits and _), got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Glue database of the table. @default trailwatch' }),
    table: z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/, { error: (iss) => `expected a Glue table name (lower-case letters, digits and _), got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Name of the CloudTrail table. @default cloudtrail_logs' }),
    workgroup: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,128}$/, { error: (iss) => `expected an Athena workgroup name (letters, digits, . _ -), got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Athena workgroup (enforces its configuration on every query). @default trailwatch' }),
    bytesScannedCutoffPerQuery: z
      .number({ error: (iss) => `expected a number of bytes, got ${show(iss.input)}` })
      .int({ error: (iss) => `expected a whole number of bytes, got ${show(iss.input)}` })
      .min(MIN_BYTES_SCANNED_CUTOFF, { error: (iss) => `Athena accepts a cutoff of at least ${MIN_BYTES_SCANNED_CUTOFF} bytes (10 MB), got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Athena cancels a query of the workgroup once it has scanned this many bytes (at $5 per TB scanned, 100 GB is $0.50). @default 100000000000 (100 GB)' }),
    resultsExpirationDays: positiveDays('the query results')
      .optional()
      .meta({ description: 'Days query results are kept in the results bucket. @default 30' }),
    firstDay: z
      .string()
      .regex(ISO_DAY, { error: (iss) => `expected a date YYYY-MM-DD, got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'First day of the archive: the table projects a `timestamp` partition for every day from it to today. @default 2020-01-01' }),
    extraAccountIds: z
      .array(z.string().regex(/^\d{12}$/, { error: (iss) => `expected a 12-digit account id, got ${show(iss.input)}` }))
      .refine((xs) => new Set(xs).size === xs.length, { error: 'lists an account id more than once' })
      .optional()
      .meta({ description: 'Accounts of the organization not named in this file whose logs the organization trail also writes: the table projects them too. @default none' }),
  })
  .meta({ description: 'Query the archive with Amazon Athena: a CloudTrail table over it, a hardened workgroup, and a read-only query role. @default off' });

const ArchiveSchema = z
  .strictObject({
    bucketName: bucketName('the archive bucket')
      .optional()
      .meta({ description: 'Name of the log bucket (in the log-archive account, home region). @default trailwatch-cloudtrail-<logArchiveAccountId>-<homeRegion>' }),
    lifecycle: z
      .strictObject({
        transitions: z
          .array(TransitionSchema)
          .max(TRANSITION_STORAGE_CLASSES.length)
          .optional()
          .meta({ description: 'Moves to cheaper storage classes, in increasing days. @default none' }),
        expirationDays: z
          .union([positiveDays('expirationDays'), z.literal('never')], {
            error: (iss) => `expected a number of days or \`never\`, got ${show(iss.input)}`,
          })
          .optional()
          .meta({ description: `Days after which log files expire; \`never\` keeps them. @default ${DEFAULT_RETENTION_DAYS}` }),
        noncurrentExpirationDays: positiveDays('noncurrentExpirationDays')
          .optional()
          .meta({ description: 'Days a replaced or deleted (noncurrent) version is kept. @default 30' }),
        transitionDefaultMinimumObjectSize: z
          .enum(TRANSITION_MINIMUM_SIZES, { error: (iss) => `expected ${TRANSITION_MINIMUM_SIZES.join(' or ')}, got ${show(iss.input)}` })
          .optional()
          .meta({
            description: `Which log files the transitions move, by size (S3's TransitionDefaultMinimumObjectSize): all_storage_classes_128K leaves every file under 128 KB in STANDARD; varies_by_storage_class also moves small files to GLACIER and DEEP_ARCHIVE, each paying a transition request and 40 KB of per-object overhead. Most CloudTrail files are far under 128 KB (README "Trail"). @default ${DEFAULT_TRANSITION_MINIMUM_SIZE}`,
          }),
      })
      .optional()
      .meta({ description: `Lifecycle of the log files. @default keep ${DEFAULT_RETENTION_DAYS} days, then expire` }),
    objectLock: z
      .strictObject({
        mode: z
          .enum(['GOVERNANCE', 'COMPLIANCE'], { error: (iss) => `expected GOVERNANCE or COMPLIANCE, got ${show(iss.input)}` })
          .meta({ description: 'GOVERNANCE: privileged users can lift the lock; COMPLIANCE: nobody can, not even the root user.' }),
        days: positiveDays('the object lock', 36500).meta({ description: 'Default retention of every new log file, in days.' }),
      })
      .optional()
      .meta({ description: 'S3 Object Lock (WORM) on the archive. Only when the bucket is created: adding it later would replace the bucket (prevent_destroy stops that plan). @default none' }),
    preventDestroy: z
      .boolean()
      .optional()
      .meta({ description: 'Terraform lifecycle prevent_destroy on the buckets and the KMS key. @default true' }),
    readerAccounts: z
      .array(z.string())
      .optional()
      .meta({ description: 'Names of accounts (from this file) allowed to read and decrypt the logs. @default the log-archive and security accounts' }),
    accessLogs: z
      .strictObject({
        bucketName: bucketName('the access-log bucket')
          .optional()
          .meta({ description: 'Name of the bucket receiving S3 server access logs of the archive. @default trailwatch-access-logs-<logArchiveAccountId>-<homeRegion>' }),
        expirationDays: positiveDays('the access logs').optional().meta({ description: `Days access logs are kept. @default ${DEFAULT_RETENTION_DAYS}` }),
      })
      .optional()
      .meta({ description: 'The separate bucket that receives server access logs of the archive bucket.' }),
    query: QuerySchema.optional(),
  })
  .meta({ description: 'The log archive: an S3 bucket (SSE-KMS, versioned, private, TLS-only) in the log-archive account.' });

const ExistingSchema = z
  .strictObject({
    logGroupName: z
      .string()
      .regex(/^[\w.\-/#]{1,512}$/, { error: (iss) => `expected a CloudWatch Logs group name, got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Exact name of the log group the existing trail delivers to.' }),
    logGroupNamePrefix: z
      .string()
      .regex(/^[\w.\-/#]{1,512}$/, { error: (iss) => `expected a CloudWatch Logs group name prefix, got ${show(iss.input)}` })
      .optional()
      .meta({
        description:
          "Prefix of that log group's name, for generated names (Control Tower: `aws-controltower/CloudTrailLogs`). It must match exactly one group at plan time.",
      }),
    account: z.string().optional().meta({ description: 'Name of the account (from this file) holding the log group. @default the management account' }),
    region: z
      .enum(REGION_NAMES, { error: (iss) => `unknown region ${show(iss.input)}; expected one of ${REGION_NAMES.join(', ')}` })
      .optional()
      .meta({ description: 'Region of the log group; must be one of that account\'s regions. @default organization.homeRegion' }),
  })
  .meta({ description: 'mode: existing: where the trail you already have delivers (trailwatch creates no trail and no archive).' });

/** A service principal as AWS Organizations lists it (cloudtrail.amazonaws.com, member.org.stacksets.cloudformation.amazonaws.com). */
const SERVICE_PRINCIPAL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.amazonaws\.com(?:\.cn)?$/;

const TrustedAccessSchema = z
  .strictObject({
    manage: z
      .boolean()
      .optional()
      .meta({
        description:
          'true: trailwatch manages the organization\'s trusted access (aws_organizations_organization, imported by organization.id) with exactly `servicePrincipals`. ' +
          'false: it only checks at plan time that all features are enabled and CloudTrail has trusted access, and fails the plan with the command that fixes it. @default false',
      }),
    servicePrincipals: z
      .array(z.string().regex(SERVICE_PRINCIPAL, { error: (iss) => `expected a service principal like ${CLOUDTRAIL_PRINCIPAL}, got ${show(iss.input)}` }))
      .min(1, { error: `expected at least ${CLOUDTRAIL_PRINCIPAL}` })
      .refine((xs) => new Set(xs).size === xs.length, { error: 'lists a service principal more than once' })
      .optional()
      .meta({
        description:
          'With manage: true, required: EVERY service principal with trusted access in the organization, plus cloudtrail.amazonaws.com. ' +
          'The list replaces the organization\'s: a principal left out loses trusted access on apply (a plan-time check refuses a list that leaves out one enabled today). ' +
          'Get the current list with `aws organizations list-aws-service-access-for-organization`.',
      }),
  })
  .meta({
    description:
      'mode: organization: trusted access for CloudTrail in AWS Organizations, which an organization trail needs (with all features enabled). @default checked at plan time, not managed',
  });

export const TrailSchema = z
  .strictObject({
    mode: z
      .enum(TRAIL_MODES, {
        error: (iss) => `expected one of ${TRAIL_MODES.join(', ')}, got ${show(iss.input)}`,
      })
      .optional()
      .meta({
        description:
          'organization: one organization trail in the management account; account: one trail in every account stack; existing: no trail, attach to an existing log group. @default organization',
      }),
    name: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|[_-](?=[A-Za-z0-9])){1,46}[A-Za-z0-9]$/, {
        error: (iss) =>
          `expected a trail name of 3-48 letters, digits, underscores and hyphens (no two in a row), starting and ending with a letter or digit, got ${show(iss.input)}`,
      })
      .optional()
      .meta({
        description:
          'Trail name; it also names the CloudWatch Logs delivery role and the alias of its key (`<name>-cloudwatch-logs`) and the default notification topic (`<name>-log-delivery`). The log group (aws-cloudtrail-logs/trailwatch) and the archive key alias (alias/trailwatch-cloudtrail) do not change with it. @default trailwatch',
      }),
    multiRegion: z.boolean().optional().meta({ description: 'One trail for all regions (CIS 3.1). @default true' }),
    includeGlobalServiceEvents: z.boolean().optional().meta({ description: 'Include IAM, STS, CloudFront and other global services. @default true' }),
    logFileValidation: z.boolean().optional().meta({ description: 'Signed digest files to prove log files were not changed (CIS 3.2). @default true' }),
    cloudWatchLogs: z
      .strictObject({
        logGroupName: z
          .string()
          .regex(/^[\w.\-/#]{1,512}$/, { error: (iss) => `expected a CloudWatch Logs group name (letters, digits and _-./#), got ${show(iss.input)}` })
          .optional()
          .meta({ description: `Name of the log group the trail delivers to. @default ${DEFAULT_LOG_GROUP_NAME}` }),
        retentionDays: z
          .literal([...LOG_RETENTION_DAYS], {
            error: (iss) => `expected one of the retention periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')}; 0 = never expire), got ${show(iss.input)}`,
          })
          .optional()
          .meta({ description: `Days events are kept in the log group; 0 keeps them forever. Below ${MIN_RECOMMENDED_RETENTION_DAYS} needs acknowledgeShortRetention. @default ${DEFAULT_RETENTION_DAYS}` }),
        acknowledgeShortRetention: z
          .boolean()
          .optional()
          .meta({ description: `Set to true to allow retentionDays below ${MIN_RECOMMENDED_RETENTION_DAYS} (CIS and Security Hub expect a year). @default false` }),
      })
      .optional()
      .meta({ description: 'Delivery of the trail to CloudWatch Logs (KMS-encrypted log group; monitoring reads it).' }),
    snsNotification: z.boolean().optional().meta({ description: 'Notify an SNS topic (KMS-encrypted) of every log file delivery. @default false' }),
    snsTopicName: z
      .string()
      .regex(/^[\w-]{1,256}$/, { error: (iss) => `expected an SNS topic name (letters, digits, _ and -), got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'Name of that topic (with snsNotification: true). @default <trail name>-log-delivery' }),
    managementEvents: z
      .strictObject({
        readWriteType: z
          .enum([...READ_WRITE_TYPES, 'None'], { error: (iss) => `expected one of All, ReadOnly, WriteOnly, None, got ${show(iss.input)}` })
          .optional()
          .meta({ description: 'Which management events: All, ReadOnly, WriteOnly or None. @default All' }),
        excludeManagementEventSources: z
          .array(z.enum(EXCLUDABLE_MANAGEMENT_SOURCES, { error: (iss) => `expected one of ${EXCLUDABLE_MANAGEMENT_SOURCES.join(', ')}, got ${show(iss.input)}` }))
          .optional()
          .meta({ description: 'High-volume sources to leave out (kms.amazonaws.com, rdsdata.amazonaws.com). @default none' }),
      })
      .optional()
      .meta({ description: 'Management (control-plane) events. @default all read and write management events' }),
    dataEvents: DataEventsSchema.optional(),
    selectorStyle: z
      .enum(['advanced', 'basic'], { error: (iss) => `expected advanced or basic, got ${show(iss.input)}` })
      .optional()
      .meta({ description: 'How managementEvents and dataEvents are rendered: `basic` event_selector or `advanced` advanced_event_selector blocks. @default basic while only management events (and eventSelectors) are configured; advanced once dataEvents or advancedEventSelectors are' }),
    eventSelectors: z
      .array(BasicSelectorSchema)
      .min(1, { error: 'expected at least one selector; remove the key if there are none' })
      .optional()
      .meta({ description: `Extra basic event selectors (at most ${MAX_BASIC_SELECTORS} selectors and ${MAX_BASIC_DATA_RESOURCES} data resources per trail). Excludes advancedEventSelectors.` }),
    advancedEventSelectors: z
      .array(AdvancedSelectorSchema)
      .min(1, { error: 'expected at least one selector; remove the key if there are none' })
      .optional()
      .meta({ description: `Extra advanced event selectors (at most ${MAX_ADVANCED_VALUES} values in all conditions per trail). Excludes eventSelectors.` }),
    insights: z
      .array(z.enum(INSIGHT_TYPES, { error: (iss) => `expected ${INSIGHT_TYPES.join(' or ')}, got ${show(iss.input)}` }))
      .refine((xs) => new Set(xs).size === xs.length, { error: 'lists an insight type more than once' })
      .optional()
      .meta({ description: 'CloudTrail Insights types; [] turns Insights off. @default [ApiCallRateInsight, ApiErrorRateInsight]' }),
    archive: ArchiveSchema.optional(),
    existing: ExistingSchema.optional(),
    trustedAccess: TrustedAccessSchema.optional(),
  })
  .meta({ description: 'The CloudTrail trail and its log archive. Absent: an organization trail with every default.' });

export type TrailConfig = z.output<typeof TrailSchema>;
export type DataEventsConfig = z.output<typeof DataEventsSchema>;
export type AdvancedSelectorConfig = z.output<typeof AdvancedSelectorSchema>;
export type BasicSelectorConfig = z.output<typeof BasicSelectorSchema>;
export type ArchiveConfig = z.output<typeof ArchiveSchema>;
export type QueryConfig = z.output<typeof QuerySchema>;


/** What the trail concern reads of the config: the organization and its own section. */
export interface TrailSections extends OrganizationConfig {
  readonly trail?: TrailConfig;
}
