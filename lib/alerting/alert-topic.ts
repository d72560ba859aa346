/**
 * The alert topic: an SNS topic encrypted with its own KMS key, a topic policy that lets only this
 * account's CloudWatch alarms and EventBridge rules publish, and the subscriptions that receive
 * the alerts. Monitoring (alarms) and EventBridge routing publish to `topicArn`.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { alertKeyPolicy, alertTopicPolicy } from './policies';
import type { AlertingConfig } from './schema';

export type AlertProtocol = 'email' | 'https' | 'sqs' | 'lambda';

/** One subscriber of the alert topic. */
export interface AlertSubscription {
  readonly protocol: AlertProtocol;
  /** Email address, https URL, SQS queue ARN or Lambda function ARN, per protocol. */
  readonly endpoint: string;
  /** Deliver the message without the SNS envelope (https and sqs only). @default false */
  readonly rawMessageDelivery?: boolean;
}

export interface AlertTopicProps {
  /** Provider of the topic's region; every resource is created through it. */
  readonly provider: AwsProvider;
  /** Account that owns the topic (policies name it). */
  readonly accountId: string;
  /** Region of the provider (the topic policy admits alarms and rules of this region). */
  readonly region: string;
  /** SNS topic name. @default trailwatch-alerts */
  readonly topicName?: string;
  /** Sender name of email notifications. @default none */
  readonly displayName?: string;
  /** Subscribers. @default none */
  readonly subscriptions?: readonly AlertSubscription[];
  /** Days a deleted key stays recoverable. @default 30 */
  readonly keyDeletionWindowInDays?: number;
}

export class AlertTopic extends Construct {
  readonly topicArn: string;
  readonly topicName: string;
  /** ARN of the KMS key that encrypts the topic. */
  readonly keyArn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const topicName = props.topicName ?? 'trailwatch-alerts';
    const ctx = { accountId: props.accountId, region: props.region };

    const key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: `Encrypts the ${topicName} SNS topic (trailwatch alerts)`,
      enableKeyRotation: true,
      deletionWindowInDays: props.keyDeletionWindowInDays ?? 30,
      policy: JSON.stringify(alertKeyPolicy(ctx)),
    });
    new KmsAlias(this, 'key-alias', { provider: props.provider, name: `alias/${topicName}`, targetKeyId: key.keyId });

    const topic = new SnsTopic(this, 'topic', {
      provider: props.provider,
      name: topicName,
      ...(props.displayName !== undefined ? { displayName: props.displayName } : {}),
      kmsMasterKeyId: key.arn,
    });
    new SnsTopicPolicy(this, 'policy', {
      provider: props.provider,
      arn: topic.arn,
      policy: JSON.stringify(alertTopicPolicy({ ...ctx, topicArn: topic.arn })),
    });

    for (const s of props.subscriptions ?? []) {
      // Id from the endpoint, not the list position: reordering the list must not recreate
      // (and make people re-confirm) subscriptions.
      new SnsTopicSubscription(this, subscriptionId(s), {
        provider: props.provider,
        topicArn: topic.arn,
        protocol: s.protocol,
        endpoint: s.endpoint,
        ...(s.rawMessageDelivery !== undefined && (s.protocol === 'https' || s.protocol === 'sqs') ? { rawMessageDelivery: s.rawMessageDelivery } : {}),
      });
    }

    this.topicArn = topic.arn;
    this.topicName = topic.name;
    this.keyArn = key.arn;
    this.keyId = key.keyId;
  }
}

/** `email-1a2b3c4d`: protocol plus a short hash of the endpoint. */
export function subscriptionId(s: Pick<AlertSubscription, 'protocol' | 'endpoint'>): string {
  return `${s.protocol}-${createHash('sha256').update(s.endpoint).digest('hex').slice(0, 8)}`;
}

/** What the stack's alert topic is made from: the `alerting:` section and where its providers are. */
export interface AlertTopicSlotProps {
  readonly accountId: string;
  /** The `alerting:` section (topic name, display name, subscriptions). @default every default */
  readonly alerting?: AlertingConfig;
  /** The stack's provider of a region. */
  readonly providerFor: (region: string) => AwsProvider;
}

/**
 * The one alert topic of an account stack (construct id `alerting`): made by the first feature that
 * needs it, in the region that feature asks for (monitoring: next to the log group; EventBridge:
 * the stack's primary region), and shared by every later one.
 */
export class AlertTopicSlot {
  private made?: { readonly topic: AlertTopic; readonly region: string };

  constructor(
    private readonly scope: Construct,
    private readonly props: AlertTopicSlotProps,
  ) {}

  /** The topic, made in `region` if no feature made it yet. */
  topicIn(region: string): { readonly topic: AlertTopic; readonly region: string } {
    if (!this.made) {
      const a = this.props.alerting ?? {};
      const topic = new AlertTopic(this.scope, 'alerting', {
        provider: this.props.providerFor(region),
        accountId: this.props.accountId,
        region,
        ...(a.topicName !== undefined ? { topicName: a.topicName } : {}),
        ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
        subscriptions: a.subscriptions ?? [],
      });
      this.made = { topic, region };
    }
    return this.made;
  }

  /** The topic if a feature made it, else undefined. */
  get existing(): { readonly topic: AlertTopic; readonly region: string } | undefined {
    return this.made;
  }
}
