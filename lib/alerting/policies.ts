/**
 * Resource policies of the alert topic and its key, as plain JSON built in TypeScript:
 * deterministic, diff-friendly, and testable without synthesizing.
 */
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../core/policy';

export interface PolicyContext {
  /** Account that owns the topic and key. */
  readonly accountId: string;
  /** Region of the topic (alarms and rules that publish live there). */
  readonly region: string;
}

/** AWS services that publish alerts: CloudWatch alarms and EventBridge rules. */
export const PUBLISHER_SERVICES = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] as const;

export type { PolicyDocument } from '../core/policy';

/**
 * Key policy: the account administers the key through IAM, and CloudWatch and EventBridge may use
 * it to publish to the encrypted topic (SNS encrypts with the publisher's permissions). Who may
 * publish at all is decided by the topic policy, which carries the source conditions; the key
 * policy stays unconditioned, as AWS documents it, because a condition SNS does not pass on to KMS
 * would silently drop every alert.
 */
export function alertKeyPolicy(ctx: PolicyContext): PolicyDocument {
  return policyDocument([
    {
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'AlarmsAndRulesEncryptAlerts',
      Effect: 'Allow',
      Principal: { Service: [...PUBLISHER_SERVICES] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    },
  ]);
}

/**
 * Topic policy: the owning account manages the topic; CloudWatch alarms and EventBridge rules of
 * this account and region may publish (aws:SourceAccount and aws:SourceArn stop other accounts'
 * alarms and rules from using the service principal as a confused deputy); no caller other than
 * an AWS service may publish over plain HTTP.
 */
export function alertTopicPolicy(ctx: PolicyContext & { readonly topicArn: string }): PolicyDocument {
  const publish = (sid: string, service: string, sourceArn: string): PolicyStatement => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sns:Publish',
    Resource: ctx.topicArn,
    Condition: {
      StringEquals: { 'aws:SourceAccount': ctx.accountId },
      ArnLike: { 'aws:SourceArn': sourceArn },
    },
  });
  return policyDocument([
    {
      Sid: 'AccountManagesTopic',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ctx.accountId}:root` },
      Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:AddPermission', 'sns:RemovePermission', 'sns:DeleteTopic', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
      Resource: ctx.topicArn,
    },
    publish('CloudWatchAlarmsPublish', 'cloudwatch.amazonaws.com', `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*`),
    publish('EventBridgeRulesPublish', 'events.amazonaws.com', `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/*`),
    {
      Sid: 'DenyPlainHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: ctx.topicArn,
      // Callers only, never AWS services: AWS does not document that a CloudWatch alarm's or an
      // EventBridge rule's publish carries aws:SecureTransport, so the deny is scoped to requests
      // whose aws:PrincipalIsAWSService (present in every signed request) is false.
      Condition: {
        Bool: {
          'aws:SecureTransport': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    },
  ]);
}
