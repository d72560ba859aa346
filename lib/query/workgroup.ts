/**
 * An Athena workgroup that enforces its configuration on every query (clients cannot override it):
 * engine version 3, results written SSE-KMS to a hardened bucket of its own (public access blocked,
 * TLS only, results expired), a bytes-scanned cutoff per query, and CloudWatch metrics on.
 */
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { HardenedBucket } from '../trail/hardened-bucket';
import { keyAdministration, policyJson } from '../core/policy';

export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

export interface QueryWorkgroupProps {
  readonly provider: AwsProvider;
  /** Account of the workgroup, its results bucket and key. */
  readonly accountId: string;
  readonly workgroupName: string;
  readonly resultsBucketName: string;
  /** Alias of the key that encrypts results. */
  readonly resultsKeyAlias: string;
  /** Athena cancels a query once it has scanned this many bytes (at least 10 MB). */
  readonly bytesScannedCutoffPerQuery: number;
  /** Days results are kept. */
  readonly resultsExpirationDays: number;
}

export class QueryWorkgroup extends Construct {
  /** The workgroup's name as a reference (a token): using it orders creation after the workgroup. */
  readonly workgroupName: string;
  readonly workgroupArn: string;
  readonly resultsBucketArn: string;
  /** ARN of the results key (a token). */
  readonly resultsKeyArn: string;

  constructor(scope: Construct, id: string, props: QueryWorkgroupProps) {
    super(scope, id);
    const provider = props.provider;
    const key = new KmsKey(this, 'results-key', {
      provider,
      description: `trailwatch: encrypts Athena query results in s3://${props.resultsBucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // Use of the key is granted by IAM policies of the account (the query role's).
      policy: policyJson([keyAdministration(props.accountId)]),
    });
    new KmsAlias(this, 'results-key-alias', { provider, name: props.resultsKeyAlias, targetKeyId: key.keyId });
    const bucket = new HardenedBucket(this, 'results', {
      provider,
      bucketName: props.resultsBucketName,
      kmsKeyArn: key.arn,
      expirationDays: props.resultsExpirationDays,
      noncurrentExpirationDays: 1,
      // Results are disposable: destroying the stack may remove the (emptied) bucket.
      preventDestroy: false,
    });
    const workgroup = new AthenaWorkgroup(this, 'workgroup', {
      provider,
      name: props.workgroupName,
      description: 'trailwatch: queries over the CloudTrail archive',
      state: 'ENABLED',
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${bucket.bucketRef}/results/`,
          expectedBucketOwner: props.accountId,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: key.arn },
        },
      },
    });
    this.workgroupName = workgroup.name;
    this.workgroupArn = workgroup.arn;
    this.resultsBucketArn = bucket.bucketArn;
    this.resultsKeyArn = key.arn;
  }
}
