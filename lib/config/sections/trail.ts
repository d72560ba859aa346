/**
 * `trail:` section of trailwatch.yaml: the CloudTrail trail, its hardened log archive, event
 * selectors, Insights, and the `existing` mode for trails owned by someone else.
 *
 * The schema checks one value at a time (types, names, ARNs, enums); `trailProblems` checks what
 * needs the whole config (selector limits and exclusivity, lifecycle order, accounts named by
 * name). Defaults are documented here (`@default`) and applied where they are used: names in
 * lib/trail/plan.ts, everything else in the constructs of lib/trail/.
 */
import { z } from 'zod';
import type { ConfigProblem } from '../load';
import { REGION_NAMES } from '../regions';
import type { ParsedConfig } from '../schema';
import { ARCHIVE_EXCLUSION_NOTE, planSelectors, selectorStyle } from '../../trail/selectors';
import { archiveBucketNames, TRAIL_MODES } from '../../trail/plan';
import { CLOUDTRAIL_PRINCIPAL } from '../../trail/policy';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));

/** CloudWatch Logs retention values (days) the service accepts; 0 keeps events forever. */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** CIS AWS Foundations and Security Hub expect at least a year of CloudTrail history in CloudWatch Logs. */
export const MIN_RECOMMENDED_RETENTION_DAYS = 365;

export const READ_WRITE_TYPES = ['All', 'ReadOnly', 'WriteOnly'] as const;
export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;
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
          .meta({ description: 'Days after which log files expire; `never` keeps them. @default 365' }),
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
      .meta({ description: 'Lifecycle of the log files. @default keep 365 days, then expire' }),
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
        expirationDays: positiveDays('the access logs').optional().meta({ description: 'Days access logs are kept. @default 365' }),
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
          .meta({ description: 'Name of the log group the trail delivers to. @default aws-cloudtrail-logs/trailwatch' }),
        retentionDays: z
          .literal([...LOG_RETENTION_DAYS], {
            error: (iss) => `expected one of the retention periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')}; 0 = never expire), got ${show(iss.input)}`,
          })
          .optional()
          .meta({ description: `Days events are kept in the log group; 0 keeps them forever. Below ${MIN_RECOMMENDED_RETENTION_DAYS} needs acknowledgeShortRetention. @default 365` }),
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

const P = (...p: (string | number)[]) => ['trail', ...p];

export function trailProblems(config: ParsedConfig): ConfigProblem[] {
  const t = config.trail;
  if (!t) return [];
  const out: ConfigProblem[] = [];
  const mode = t.mode ?? 'organization';
  const accountNames = new Map<string, { regions: readonly string[] }>();
  const org = config.organization;
  for (const a of [org.managementAccount, org.logArchiveAccount, ...(org.securityAccount ? [org.securityAccount] : [])]) accountNames.set(a.name, { regions: org.regions });
  for (const a of config.accounts) accountNames.set(a.name, { regions: a.regions ?? org.regions });
  const unknownAccount = (name: string) => `no account is named ${show(name)}; expected one of ${[...accountNames.keys()].join(', ')}`;

  if (mode === 'existing') {
    // Everything else configures a trail or an archive trailwatch does not create in this mode.
    for (const key of Object.keys(t) as (keyof TrailConfig)[]) {
      if (key !== 'mode' && key !== 'existing' && t[key] !== undefined) {
        out.push({ path: P(key), message: `has no effect with mode: existing (trailwatch creates no trail and no archive); remove it, or choose mode: organization or account` });
      }
    }
    const e = t.existing;
    if (!e) {
      out.push({ path: P('mode'), message: 'mode: existing needs trail.existing with logGroupName (or logGroupNamePrefix) of the log group your trail delivers to' });
    } else {
      if ((e.logGroupName === undefined) === (e.logGroupNamePrefix === undefined)) {
        out.push({ path: P('existing'), message: 'set exactly one of logGroupName (the exact name) or logGroupNamePrefix (a prefix matching exactly one group)' });
      }
      const accountName = e.account ?? org.managementAccount.name;
      const account = accountNames.get(accountName);
      if (!account) out.push({ path: P('existing', 'account'), message: unknownAccount(accountName) });
      const region = e.region ?? org.homeRegion;
      if (account && !account.regions.includes(region)) {
        out.push({
          path: P('existing', e.region !== undefined ? 'region' : 'account'),
          message: `region ${region} is not one of the regions of account ${accountName} (${account.regions.join(', ')}); set existing.region to one of them or add it to that account`,
        });
      }
    }
    return out;
  }

  if (t.existing) out.push({ path: P('existing'), message: `is only used with mode: existing (the mode is ${mode}); remove it` });
  out.push(...trustedAccessProblems(t, mode));

  const cw = t.cloudWatchLogs;
  if (cw?.retentionDays !== undefined && cw.retentionDays !== 0 && cw.retentionDays < MIN_RECOMMENDED_RETENTION_DAYS && cw.acknowledgeShortRetention !== true) {
    out.push({
      path: P('cloudWatchLogs', 'retentionDays'),
      message: `${cw.retentionDays} days is less than the ${MIN_RECOMMENDED_RETENTION_DAYS} days CIS and Security Hub expect; use ${MIN_RECOMMENDED_RETENTION_DAYS} or more, or set cloudWatchLogs.acknowledgeShortRetention: true to keep it`,
    });
  }
  if (t.snsTopicName !== undefined && t.snsNotification !== true) {
    out.push({ path: P('snsTopicName'), message: 'names a topic but snsNotification is not true; set snsNotification: true or remove snsTopicName' });
  }

  // Selectors: exclusivity first; limits are counted on what would be rendered.
  if (t.eventSelectors && t.advancedEventSelectors) {
    out.push({
      path: P('advancedEventSelectors'),
      message: 'basic eventSelectors and advancedEventSelectors are mutually exclusive on a trail (CloudTrail keeps only one kind); write the basic ones as advanced selectors, or drop one list',
    });
  } else if (t.selectorStyle === 'basic' && t.advancedEventSelectors) {
    out.push({
      path: P('advancedEventSelectors'),
      message: 'cannot be combined with selectorStyle: basic (a trail uses basic or advanced selectors, never both); set selectorStyle: advanced or write them as eventSelectors',
    });
  } else if (t.selectorStyle === 'advanced' && t.eventSelectors) {
    out.push({
      path: P('eventSelectors'),
      message: 'basic event selectors cannot be combined with selectorStyle: advanced (a trail uses basic or advanced selectors, never both); set selectorStyle: basic or write them as advancedEventSelectors',
    });
  } else {
    out.push(...selectorProblems(config));
  }

  const readWrite = t.managementEvents?.readWriteType ?? 'All';
  (t.insights ?? INSIGHT_TYPES).forEach((insight, i) => {
    const at = t.insights ? P('insights', i) : P('managementEvents', 'readWriteType');
    const which = t.insights ? insight : `${insight} (on by default)`;
    const fix = t.insights ? `leave ${insight} out of insights` : `set insights to the types you want ([] for none)`;
    if (insight === 'ApiCallRateInsight' && (readWrite === 'ReadOnly' || readWrite === 'None')) {
      out.push({ path: at, message: `${which} analyses write management events, but managementEvents.readWriteType is ${readWrite}; use All or WriteOnly, or ${fix}` });
    }
    if (insight === 'ApiErrorRateInsight' && readWrite === 'None') {
      out.push({ path: at, message: `${which} analyses management events, but managementEvents.readWriteType is None; log management events, or ${fix}` });
    }
  });

  const a = t.archive;
  if (a) out.push(...archiveProblems(config, a, unknownAccount, accountNames));
  return out;
}

function selectorProblems(config: ParsedConfig): ConfigProblem[] {
  const t = config.trail!;
  const out: ConfigProblem[] = [];
  const buckets = archiveBucketNames(config);
  const de = t.dataEvents;
  if (de?.s3 === 'all' && de.excludeArchiveBuckets !== false && selectorStyle(t) === 'basic') {
    out.push({
      path: P('dataEvents', 's3'),
      message: `basic event selectors cannot exclude the archive buckets: \`s3: all\` would log every log delivery, in a feedback loop (${ARCHIVE_EXCLUSION_NOTE}); use selectorStyle: advanced, list the buckets to log, or set dataEvents.excludeArchiveBuckets: false`,
    });
    return out;
  }
  if (Array.isArray(de?.s3)) {
    de.s3.forEach((target, i) => {
      const bucket = target.replace(/^arn:aws:s3:::/, '').split('/')[0];
      if (bucket === buckets.archive || bucket === buckets.accessLogs) {
        out.push({ path: P('dataEvents', 's3', i), message: `${bucket} is the trail's own ${bucket === buckets.archive ? 'archive' : 'access-log'} bucket: logging its object events logs every log delivery, in a feedback loop; remove it` });
      }
    });
  }
  const rendered = planSelectors(t, buckets);
  if (rendered.kind === 'basic') {
    if (rendered.eventSelectors.length > MAX_BASIC_SELECTORS) {
      out.push({
        path: P(t.eventSelectors ? 'eventSelectors' : 'dataEvents'),
        message: `the trail would have ${rendered.eventSelectors.length} basic event selectors (management and data events included); CloudTrail allows at most ${MAX_BASIC_SELECTORS}: merge selectors or use advanced selectors`,
      });
    }
    const resources = rendered.eventSelectors.reduce((n, s) => n + (s.dataResources ?? []).reduce((m, r) => m + r.values.length, 0), 0);
    if (resources > MAX_BASIC_DATA_RESOURCES) {
      out.push({
        path: P(t.eventSelectors ? 'eventSelectors' : 'dataEvents'),
        message: `the trail would have ${resources} data resources in its basic event selectors; CloudTrail allows at most ${MAX_BASIC_DATA_RESOURCES}: use ARN prefixes, \`all\`, or advanced selectors`,
      });
    }
    if (rendered.eventSelectors.length === 0) out.push(nothingLogged());
  } else {
    const values = rendered.advancedEventSelectors.reduce((n, s) => n + s.fieldSelectors.reduce((m, f) => m + FIELD_OPERATORS.reduce((k, op) => k + (f[op]?.length ?? 0), 0), 0), 0);
    if (values > MAX_ADVANCED_VALUES) {
      out.push({
        path: P(t.advancedEventSelectors ? 'advancedEventSelectors' : 'dataEvents'),
        message: `the trail's advanced event selectors would have ${values} values in all their conditions; CloudTrail allows at most ${MAX_ADVANCED_VALUES}: use prefixes (startsWith) or fewer resources`,
      });
    }
    if (rendered.advancedEventSelectors.length === 0) out.push(nothingLogged());
  }
  (t.advancedEventSelectors ?? []).forEach((s, i) => {
    const fields = s.fieldSelectors.map((f) => f.field);
    if (!fields.includes('eventCategory')) {
      out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors'), message: 'every advanced event selector needs an eventCategory field selector (e.g. { field: eventCategory, equals: [Data] })' });
    }
    s.fieldSelectors.forEach((f, j) => {
      if (fields.indexOf(f.field) !== j) out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors', j, 'field'), message: `${f.field} appears twice in this selector; put every operator for one field in one field selector` });
      if (!FIELD_OPERATORS.some((op) => f[op] !== undefined)) {
        out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors', j), message: `needs at least one operator: ${FIELD_OPERATORS.join(', ')}` });
      }
    });
    const category = s.fieldSelectors.find((f) => f.field === 'eventCategory');
    if (category?.equals?.includes('Data') && !s.fieldSelectors.some((f) => f.field === 'resources.type' && f.equals?.length === 1)) {
      out.push({ path: P('advancedEventSelectors', i, 'fieldSelectors'), message: 'a data event selector of a trail needs exactly one resources.type (e.g. { field: resources.type, equals: [AWS::S3::Object] })' });
    }
  });
  return out;
}

function trustedAccessProblems(t: TrailConfig, mode: string): ConfigProblem[] {
  const a = t.trustedAccess;
  if (!a) return [];
  if (mode !== 'organization') {
    return [{ path: P('trustedAccess'), message: `is only used with mode: organization (only an organization trail needs trusted access; the mode is ${mode}); remove it` }];
  }
  if (a.manage !== true) {
    return a.servicePrincipals !== undefined
      ? [{ path: P('trustedAccess', 'servicePrincipals'), message: 'is only used with manage: true (trailwatch then sets exactly this list); set manage: true or remove the list' }]
      : [];
  }
  if (a.servicePrincipals === undefined) {
    return [
      {
        path: P('trustedAccess', 'manage'),
        message:
          `needs trustedAccess.servicePrincipals: every service principal with trusted access in your organization today (aws organizations list-aws-service-access-for-organization) plus ${CLOUDTRAIL_PRINCIPAL}; ` +
          'the list replaces the organization\'s, so a principal left out would lose trusted access',
      },
    ];
  }
  return a.servicePrincipals.includes(CLOUDTRAIL_PRINCIPAL)
    ? []
    : [{ path: P('trustedAccess', 'servicePrincipals'), message: `must include ${CLOUDTRAIL_PRINCIPAL}: the organization trail needs its trusted access` }];
}

function nothingLogged(): ConfigProblem {
  return {
    path: P('managementEvents', 'readWriteType'),
    message: 'with management events None and no data events the trail would log nothing; log management events or add dataEvents / selectors',
  };
}

function archiveProblems(
  config: ParsedConfig,
  a: ArchiveConfig,
  unknownAccount: (n: string) => string,
  accountNames: ReadonlyMap<string, unknown>,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const names = archiveBucketNames(config);
  if (names.archive === names.accessLogs) {
    out.push({ path: P('archive', 'accessLogs', 'bucketName'), message: `the access-log bucket must differ from the archive bucket (${names.archive}): a bucket cannot log its own access` });
  }
  if (a.query?.account === 'security' && !config.organization.securityAccount) {
    out.push({ path: P('archive', 'query', 'account'), message: 'the organization has no securityAccount; set query.account: log-archive or add organization.securityAccount' });
  }
  (a.readerAccounts ?? []).forEach((n, i) => {
    if (!accountNames.has(n)) out.push({ path: P('archive', 'readerAccounts', i), message: unknownAccount(n) });
  });
  const lc = a.lifecycle;
  const transitions = lc?.transitions ?? [];
  const expiration = lc?.expirationDays ?? 365;
  transitions.forEach((tr, i) => {
    const at = P('archive', 'lifecycle', 'transitions', i);
    if ((tr.storageClass === 'STANDARD_IA' || tr.storageClass === 'ONEZONE_IA') && tr.days < 30) {
      out.push({ path: [...at, 'days'], message: `S3 moves objects to ${tr.storageClass} after 30 days at the earliest, got ${tr.days}` });
    }
    if (i > 0) {
      const prev = transitions[i - 1];
      const order = TRANSITION_STORAGE_CLASSES;
      if (order.indexOf(tr.storageClass) <= order.indexOf(prev.storageClass)) {
        out.push({ path: [...at, 'storageClass'], message: `S3 only moves objects down the storage classes (${order.join(' > ')}); ${tr.storageClass} cannot follow ${prev.storageClass}` });
      }
      const gap = prev.storageClass === 'STANDARD_IA' || prev.storageClass === 'ONEZONE_IA' ? 30 : 1;
      if (tr.days < prev.days + gap) {
        out.push({ path: [...at, 'days'], message: `expected at least ${prev.days + gap} days (transitions in increasing days${gap === 30 ? `; objects stay in ${prev.storageClass} 30 days` : ''}), got ${tr.days}` });
      }
    }
    if (expiration !== 'never' && tr.days >= expiration) {
      out.push({ path: [...at, 'days'], message: `the transition after ${tr.days} days comes after the expiration after ${expiration} days; raise archive.lifecycle.expirationDays or remove the transition` });
    }
  });
  if (a.objectLock && expiration !== 'never' && expiration < a.objectLock.days) {
    out.push({
      path: P('archive', 'lifecycle', 'expirationDays'),
      message: `${expiration} days is shorter than the object lock of ${a.objectLock.days} days: locked versions cannot be deleted before their retention ends; raise expirationDays to at least ${a.objectLock.days} or shorten the lock`,
    });
  }
  return out;
}
