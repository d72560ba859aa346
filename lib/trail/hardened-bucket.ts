/**
 * A private S3 bucket hardened for audit logs: all four public-access-block settings, ACLs disabled
 * (BucketOwnerEnforced), versioning, default encryption, a TLS-only bucket policy, lifecycle rules,
 * optional server access logging and Object Lock, and prevent_destroy.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { tlsOnlyStatement } from './archive-policies';
import { policyJson, type PolicyStatement } from '../core/policy';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';
import { DEFAULT_TRANSITION_MINIMUM_SIZE } from './schema';

export interface LifecycleTransition {
  /** Days after creation. */
  readonly days: number;
  /** Target storage class (STANDARD_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE, ...). */
  readonly storageClass: string;
}

export interface ObjectLockSettings {
  /** GOVERNANCE (privileged users may lift it) or COMPLIANCE (nobody may). */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Default retention of new objects, in days. */
  readonly days: number;
}

export interface HardenedBucketProps {
  /** Provider of the bucket's account and region. */
  readonly provider: AwsProvider;
  /** Bucket name (globally unique). */
  readonly bucketName: string;
  /**
   * KMS key (ARN) for default encryption (SSE-KMS).
   * @default SSE-S3 (AES256): the only encryption S3 server access logging can write to
   */
  readonly kmsKeyArn?: string;
  /** Statements added to the bucket policy after the TLS-only deny. @default none */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Storage-class transitions of current versions, in increasing days. @default none */
  readonly transitions?: readonly LifecycleTransition[];
  /** Days after which current versions expire; `never` keeps them. @default 365 */
  readonly expirationDays?: number | 'never';
  /** Days a noncurrent (replaced or deleted) version is kept. @default 30 */
  readonly noncurrentExpirationDays?: number;
  /**
   * Which objects the transitions move, by size (S3 TransitionDefaultMinimumObjectSize), always
   * written explicitly: `all_storage_classes_128K` moves no object under 128 KB,
   * `varies_by_storage_class` moves small ones to GLACIER and DEEP_ARCHIVE.
   * @default all_storage_classes_128K (what S3 applies when the attribute is absent)
   */
  readonly transitionMinimumSize?: 'all_storage_classes_128K' | 'varies_by_storage_class';
  /** S3 Object Lock default retention; enables Object Lock on the bucket. @default none */
  readonly objectLock?: ObjectLockSettings;
  /**
   * Bucket that receives this bucket's server access logs, under the prefix `<bucketName>/`; pass a
   * reference (HardenedBucket.bucketRef) so the target exists first.
   * @default no access logging
   */
  readonly accessLogsBucket?: string;
  /**
   * What must exist before access logging is switched on: the target bucket's policy, which lets
   * the S3 logging service write there (S3 refuses PutBucketLogging until it does).
   * @default nothing
   */
  readonly accessLogsReady?: readonly ITerraformDependable[];
  /** Terraform `prevent_destroy` on the bucket. @default true */
  readonly preventDestroy?: boolean;
}

export class HardenedBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** The bucket's name as a reference to the bucket resource (a token): using it orders creation after the bucket. */
  readonly bucketRef: string;
  /** The bucket policy: things that need it in place (a trail) depend on it. */
  readonly bucketPolicy: ITerraformDependable;

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucketName = props.bucketName;
    this.bucketArn = `arn:aws:s3:::${props.bucketName}`;

    const bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      forceDestroy: false,
      ...(props.objectLock ? { objectLockEnabled: true } : {}),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.bucketRef = bucket.id;

    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new S3BucketOwnershipControls(this, 'ownership', {
      provider,
      bucket: bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });

    const versioning = new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: 'AES256' },
          // S3 Bucket Keys would make CloudTrail need kms:Decrypt on the archive key; keep every object under the key itself.
          bucketKeyEnabled: false,
        },
      ],
    });

    const tlsOnly = tlsOnlyStatement(this.bucketArn);
    // After the public access block: S3 rejects concurrent changes to one bucket's access settings.
    this.bucketPolicy = new S3BucketPolicy(this, 'policy', {
      provider,
      bucket: bucket.id,
      policy: policyJson([tlsOnly, ...(props.policyStatements ?? [])]),
      dependsOn: [publicAccess],
    });

    const expiration = props.expirationDays ?? DEFAULT_RETENTION_DAYS;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket: bucket.id,
      transitionDefaultMinimumObjectSize: props.transitionMinimumSize ?? DEFAULT_TRANSITION_MINIMUM_SIZE,
      rule: [
        {
          id: 'trailwatch-retention',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          ...(props.transitions?.length ? { transition: props.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })) } : {}),
          ...(expiration === 'never' ? {} : { expiration: [{ days: expiration }] }),
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentExpirationDays ?? 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      // Lifecycle rules on a versioned bucket act on versions: configure them once versioning is on.
      dependsOn: [versioning],
    });

    if (props.objectLock) {
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        provider,
        bucket: bucket.id,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [versioning],
      });
    }

    if (props.accessLogsBucket) {
      new S3BucketLoggingA(this, 'access-logging', {
        provider,
        bucket: bucket.id,
        targetBucket: props.accessLogsBucket,
        targetPrefix: `${props.bucketName}/`,
        ...(props.accessLogsReady ? { dependsOn: [...props.accessLogsReady] } : {}),
      });
    }
  }
}
