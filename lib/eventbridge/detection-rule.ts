/**
 * One catalog control as an EventBridge rule in one region of one account: the rule on the
 * default bus (where CloudTrail management events arrive) and its single target, either the alert
 * topic (with a readable message) or an event bus that aggregates detections (with a role).
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { EventBridgePattern } from '../catalog/render/eventbridge';
import type { DetectionRuleState } from './plan';

export type DetectionTarget =
  /** Publish a readable message to this topic (same account and region as the rule). */
  | { readonly kind: 'topic'; readonly topicArn: string }
  /** Forward the event unchanged to this bus (another region or account), as this role. */
  | { readonly kind: 'bus'; readonly busArn: string; readonly roleArn: string };

export interface DetectionRuleProps {
  /** Provider of the rule's region. */
  readonly provider: AwsProvider;
  readonly ruleName: string;
  readonly description: string;
  readonly pattern: EventBridgePattern;
  readonly target: DetectionTarget;
  /** Bus the rule listens on. @default the account's default bus */
  readonly eventBusName?: string;
  /** Title of the control, for the alert message. */
  readonly title: string;
  readonly controlId: string;
  /**
   * Rule state. `ENABLED` never receives read-only management events named Describe*, Get* or
   * List*; detections that can match one need `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
   * @default ENABLED
   */
  readonly state?: DetectionRuleState;
}

/** What a detection alert says; fields every CloudTrail management event has. */
export const DETECTION_INPUT_PATHS: Readonly<Record<string, string>> = {
  eventName: '$.detail.eventName',
  eventSource: '$.detail.eventSource',
  identityType: '$.detail.userIdentity.type',
  identity: '$.detail.userIdentity.arn',
  sourceIp: '$.detail.sourceIPAddress',
  account: '$.account',
  region: '$.region',
  time: '$.time',
};

export function detectionInputTemplate(controlId: string, title: string): string {
  return JSON.stringify(
    [
      `trailwatch detection: ${title} (${controlId})`,
      'API: <eventName> on <eventSource>',
      'By: <identityType> <identity>',
      'From: <sourceIp>',
      'Account/region: <account> / <region>',
      'Time: <time>',
    ].join('\n'),
  );
}

export class DetectionRule extends Construct {
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: DetectionRuleProps) {
    super(scope, id);
    const rule = new CloudwatchEventRule(this, 'rule', {
      provider: props.provider,
      name: props.ruleName,
      description: props.description.slice(0, 512),
      eventPattern: JSON.stringify(props.pattern),
      ...(props.eventBusName !== undefined ? { eventBusName: props.eventBusName } : {}),
      state: props.state ?? 'ENABLED',
    });
    const t = props.target;
    new CloudwatchEventTarget(this, 'target', {
      provider: props.provider,
      rule: rule.name,
      ...(props.eventBusName !== undefined ? { eventBusName: props.eventBusName } : {}),
      targetId: t.kind === 'topic' ? 'alert-topic' : 'detections-bus',
      arn: t.kind === 'topic' ? t.topicArn : t.busArn,
      ...(t.kind === 'topic'
        ? { inputTransformer: { inputPaths: { ...DETECTION_INPUT_PATHS }, inputTemplate: detectionInputTemplate(props.controlId, props.title) } }
        : { roleArn: t.roleArn }),
    });
    this.ruleArn = rule.arn;
  }
}
