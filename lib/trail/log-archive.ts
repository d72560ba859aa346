/**
 * The CloudTrail log archive of the organization, in the log-archive account: a customer-managed
 * KMS key (rotated) with an alias by which other accounts' stacks look it up, a hardened log
 * bucket encrypted with it, and a separate bucket for the log bucket's server access logs.
 *
 * Who may write is pinned twice: CloudTrail gets bucket and key permissions only under
 * `aws:SourceArn` conditions naming the trails (no confused deputy), and only for the log paths of
 * the accounts (and the organization) those trails log.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HardenedBucket, type LifecycleTransition, type ObjectLockSettings } from './hardened-bucket';
import { archiveBucketStatements, archiveKeyPolicy, type QueryReader } from './archive-policies';
import { policyJson } from '../core/policy';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';

// The policy documents are pure (no cdktf): the quota checks measure them at validate time.
export { archiveBucketStatements, archiveKeyPolicy } from './archive-policies';

export interface LogArchiveProps {
  /** Provider of the log-archive account in the archive's region. */
  readonly provider: AwsProvider;
  /** The log-archive account (owner of the buckets and the key). */
  readonly accountId: string;
  /** Region of the buckets and the key. */
  readonly region: string;
  /** Name of the log bucket. */
  readonly bucketName: string;
  /** Name of the bucket receiving the log bucket's server access logs. */
  readonly accessLogsBucketName: string;
  /** ARNs of the trails that deliver here: the only `aws:SourceArn` values CloudTrail is allowed under. */
  readonly trailArns: readonly string[];
  /** Accounts whose trails deliver here: CloudTrail may write `AWSLogs/<account>/*` for each. */
  readonly trailAccountIds: readonly string[];
  /**
   * Organization id when the trail is an organization trail: CloudTrail may then also write
   * `AWSLogs/<organizationId>/*`, where member accounts' logs go.
   * @default none (account trails only)
   */
  readonly organizationId?: string;
  /**
   * Accounts whose trail stacks look the key up by its alias ARN (kms:DescribeKey) to give their
   * trail the key ARN; a key in another account needs the key policy to allow it.
   * @default none
   */
  readonly describeKeyAccountIds?: readonly string[];
  /** Accounts whose principals may read and decrypt the logs (through their own IAM policies). @default the owning account */
  readonly readerAccountIds?: readonly string[];
  /** The Athena query role of another account: list and read of its prefix, decrypt through S3. @default none */
  readonly queryReader?: QueryReader;
  /** Alias of the archive key. @default alias/trailwatch-cloudtrail */
  readonly keyAlias?: string;
  /** Storage-class transitions of log files. @default none */
  readonly transitions?: readonly LifecycleTransition[];
  /** Days after which log files expire; `never` keeps them. @default 365 */
  readonly expirationDays?: number | 'never';
  /** Days noncurrent versions are kept. @default 30 */
  readonly noncurrentExpirationDays?: number;
  /** Which log files the transitions move, by size (HardenedBucketProps.transitionMinimumSize). @default all_storage_classes_128K */
  readonly transitionMinimumSize?: 'all_storage_classes_128K' | 'varies_by_storage_class';
  /** S3 Object Lock default retention of log files. @default none */
  readonly objectLock?: ObjectLockSettings;
  /** Days server access logs are kept. @default 365 */
  readonly accessLogsExpirationDays?: number;
  /** Terraform `prevent_destroy` on both buckets and the key. @default true */
  readonly preventDestroy?: boolean;
}

export class LogArchive extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly accessLogsBucketName: string;
  /** ARN of the KMS key (a token). */
  readonly keyArn: string;
  /** ARN of the key's alias: deterministic, so stacks in other accounts can look the key up by it. */
  readonly keyAliasArn: string;
  /** What a trail in the same stack must wait for: the bucket policy and the key alias. */
  readonly readyForTrail: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const provider = props.provider;
    const alias = props.keyAlias ?? 'alias/trailwatch-cloudtrail';
    const preventDestroy = props.preventDestroy ?? true;
    const readers = props.readerAccountIds ?? [props.accountId];

    const key = new KmsKey(this, 'key', {
      provider,
      description: `trailwatch: encrypts CloudTrail log files in s3://${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson(archiveKeyPolicy(props.accountId, props.trailArns, props.trailAccountIds, readers, props.describeKeyAccountIds ?? [], props.queryReader)),
      lifecycle: { preventDestroy },
    });
    const keyAlias = new KmsAlias(this, 'key-alias', { provider, name: alias, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyAliasArn = `arn:aws:kms:${props.region}:${props.accountId}:${alias}`;

    const accessLogs = new HardenedBucket(this, 'access-logs', {
      provider,
      bucketName: props.accessLogsBucketName,
      policyStatements: [
        {
          Sid: 'AllowServerAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${props.accessLogsBucketName}/${props.bucketName}/*`,
          Condition: {
            ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${props.bucketName}` },
            StringEquals: { 'aws:SourceAccount': props.accountId },
          },
        },
      ],
      expirationDays: props.accessLogsExpirationDays ?? DEFAULT_RETENTION_DAYS,
      preventDestroy,
    });

    const bucket = new HardenedBucket(this, 'bucket', {
      provider,
      bucketName: props.bucketName,
      kmsKeyArn: key.arn,
      policyStatements: archiveBucketStatements(props.bucketName, props.accountId, props.trailArns, props.trailAccountIds, props.organizationId, readers, props.queryReader),
      transitions: props.transitions,
      expirationDays: props.expirationDays ?? DEFAULT_RETENTION_DAYS,
      noncurrentExpirationDays: props.noncurrentExpirationDays,
      transitionMinimumSize: props.transitionMinimumSize,
      objectLock: props.objectLock,
      accessLogsBucket: accessLogs.bucketRef,
      accessLogsReady: [accessLogs.bucketPolicy],
      preventDestroy,
    });
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.bucketArn;
    this.accessLogsBucketName = accessLogs.bucketName;
    this.readyForTrail = [bucket.bucketPolicy, keyAlias];
  }
}
