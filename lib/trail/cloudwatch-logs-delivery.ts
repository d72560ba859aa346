/**
 * Delivery of a trail to CloudWatch Logs: a log group encrypted with its own customer-managed key
 * (rotated), and the IAM role CloudTrail assumes to write to it. The role may only create streams
 * and put events in that one log group. Its trust policy names CloudTrail without aws:SourceArn /
 * aws:SourceAccount conditions: AWS documents that this role does not support them (CloudTrail
 * user guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"), so
 * requiring them would stop delivery. What limits it instead: a trail can only use a role of its
 * own account, and setting it needs iam:PassRole there.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDTRAIL_PRINCIPAL, keyAdministration, policyJson, type PolicyStatement } from '../core/policy';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';

export interface CloudWatchLogsDeliveryProps {
  /** Provider of the trail's account, in the trail's region. */
  readonly provider: AwsProvider;
  /** Account of the trail and the log group. */
  readonly accountId: string;
  /** Region of the trail and the log group. */
  readonly region: string;
  /** Name of the log group. */
  readonly logGroupName: string;
  /** Name of the IAM role CloudTrail assumes. */
  readonly roleName: string;
  /** Alias of the log group's KMS key. @default alias/<roleName> */
  readonly keyAlias?: string;
  /** Days events are kept; 0 keeps them forever. @default 365 */
  readonly retentionDays?: number;
}

export class CloudWatchLogsDelivery extends Construct {
  readonly logGroupName: string;
  /** The group's name as a reference to the log group resource: resources that need the group (metric filters) use it, so Terraform creates them after it. */
  readonly logGroupNameReference: string;
  /** ARN of the log group, without the `:*` suffix (a token). */
  readonly logGroupArn: string;
  /** ARN of the role CloudTrail assumes (a token). */
  readonly roleArn: string;
  /** ARN of the log group's key (a token). */
  readonly keyArn: string;
  /** What the trail must wait for: CloudTrail checks the role's permissions when the trail is created. */
  readonly readyForTrail: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: CloudWatchLogsDeliveryProps) {
    super(scope, id);
    const provider = props.provider;
    const logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${props.logGroupName}`;

    const key = new KmsKey(this, 'key', {
      provider,
      description: `trailwatch: encrypts the CloudTrail log group ${props.logGroupName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson(logGroupKeyPolicy(props.accountId, props.region, logGroupArn)),
    });
    new KmsAlias(this, 'key-alias', { provider, name: props.keyAlias ?? `alias/${props.roleName}`, targetKeyId: key.keyId });

    const group = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.retentionDays ?? DEFAULT_RETENTION_DAYS,
      kmsKeyId: key.arn,
    });

    const role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: 'trailwatch: CloudTrail delivers the trail to CloudWatch Logs',
      assumeRolePolicy: policyJson([deliveryTrustStatement()]),
    });
    const rolePolicy = new IamRolePolicy(this, 'role-policy', {
      provider,
      name: 'cloudwatch-logs-delivery',
      role: role.id,
      policy: policyJson([deliveryPermissions(logGroupArn)]),
    });

    this.logGroupName = props.logGroupName;
    this.logGroupNameReference = group.name;
    this.logGroupArn = group.arn;
    this.roleArn = role.arn;
    this.keyArn = key.arn;
    this.readyForTrail = [rolePolicy];
  }
}

/** Key policy: CloudWatch Logs of the region may use the key only for this log group. */
export function logGroupKeyPolicy(accountId: string, region: string, logGroupArn: string): PolicyStatement[] {
  return [
    keyAdministration(accountId),
    {
      Sid: 'AllowCloudWatchLogs',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
    },
  ];
}

/** CloudTrail may assume the role; no source conditions (see the file comment for why). */
export function deliveryTrustStatement(): PolicyStatement {
  return { Sid: 'CloudTrailAssumesForDelivery', Effect: 'Allow', Principal: { Service: CLOUDTRAIL_PRINCIPAL }, Action: 'sts:AssumeRole' };
}

export function deliveryPermissions(logGroupArn: string): PolicyStatement {
  return {
    Sid: 'WriteTrailEvents',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${logGroupArn}:log-stream:*`,
  };
}
