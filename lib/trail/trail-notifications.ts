/**
 * Optional SNS notification of each log file delivery: a topic encrypted with its own
 * customer-managed key, to which only CloudTrail, on behalf of the one trail, may publish.
 *
 * The topic policy pins the trail (`aws:SourceArn`), as AWS recommends for it. The key policy
 * statement for CloudTrail is the one AWS documents for an encrypted topic, without conditions
 * (CloudTrail user guide, "Amazon SNS topic policy for CloudTrail"): AWS documents source
 * conditions for the topic policy only, and a condition the KMS request does not carry would
 * silently stop every notification. The key encrypts this topic only.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDTRAIL_PRINCIPAL, keyAdministration, policyJson, type PolicyStatement } from '../core/policy';

export interface TrailNotificationsProps {
  /** Provider of the trail's account and region. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** ARN of the trail allowed to publish. */
  readonly trailArn: string;
  /** Topic name. */
  readonly topicName: string;
  /** Alias of the topic's KMS key. @default alias/<topicName> */
  readonly keyAlias?: string;
}

export class TrailNotifications extends Construct {
  readonly topicName: string;
  /** Deterministic topic ARN. */
  readonly topicArn: string;
  /** What the trail must wait for: the topic policy. */
  readonly readyForTrail: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: TrailNotificationsProps) {
    super(scope, id);
    const provider = props.provider;
    this.topicName = props.topicName;
    this.topicArn = `arn:aws:sns:${props.region}:${props.accountId}:${props.topicName}`;
    const sourceArn = { 'aws:SourceArn': props.trailArn };

    const keyStatements: PolicyStatement[] = [
      keyAdministration(props.accountId),
      {
        Sid: 'AllowCloudTrailPublishEncrypted',
        Effect: 'Allow',
        Principal: { Service: CLOUDTRAIL_PRINCIPAL },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
      },
    ];
    const key = new KmsKey(this, 'key', {
      provider,
      description: `trailwatch: encrypts the SNS topic ${props.topicName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson(keyStatements),
    });
    new KmsAlias(this, 'key-alias', { provider, name: props.keyAlias ?? `alias/${props.topicName}`, targetKeyId: key.keyId });

    const topic = new SnsTopic(this, 'topic', { provider, name: props.topicName, kmsMasterKeyId: key.arn });
    const policy = new SnsTopicPolicy(this, 'topic-policy', {
      provider,
      arn: topic.arn,
      policy: policyJson([
        {
          Sid: 'AllowCloudTrailPublish',
          Effect: 'Allow',
          Principal: { Service: CLOUDTRAIL_PRINCIPAL },
          Action: 'SNS:Publish',
          Resource: this.topicArn,
          Condition: { StringEquals: sourceArn },
        },
      ]),
    });
    this.readyForTrail = [policy];
  }
}
