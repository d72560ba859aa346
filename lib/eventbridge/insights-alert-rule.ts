/**
 * CloudTrail Insights -> readable alerts. One EventBridge rule on the default bus of the trail's
 * account and home region matches "AWS Insight via CloudTrail" events; its SNS target rewrites the
 * event through an input transformer into a message a human reads at 3 a.m. (type, API, service,
 * baseline and anomalous rates, start, state), and the optional responder gets the raw event.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';

export interface InsightsAlertRuleProps {
  /** Provider of the trail's account and home region. */
  readonly provider: AwsProvider;
  /** Alert topic of that account and region. */
  readonly topicArn: string;
  /** Only Insights that start (not the matching End events). @default false */
  readonly onlyStart?: boolean;
  /** Send the transformed message straight to the topic. @default true */
  readonly directAlert?: boolean;
  /** Also invoke this responder function with the raw event. @default none */
  readonly responder?: { readonly functionArn: string; readonly functionName: string };
  /** Rule name. @default trailwatch-cloudtrail-insights */
  readonly ruleName?: string;
}

/** JSON paths of the Insights event that the message uses. */
export const INSIGHT_INPUT_PATHS: Readonly<Record<string, string>> = {
  insightType: '$.detail.insightDetails.insightType',
  eventName: '$.detail.insightDetails.eventName',
  eventSource: '$.detail.insightDetails.eventSource',
  baseline: '$.detail.insightDetails.insightContext.statistics.baseline.average',
  insight: '$.detail.insightDetails.insightContext.statistics.insight.average',
  startTime: '$.detail.eventTime',
  state: '$.detail.insightDetails.state',
  account: '$.account',
  region: '$.region',
};

/**
 * The message: a JSON string literal (SNS then delivers plain text), one fact per line. Placeholders
 * sit inside a string, so EventBridge inserts their values as text whatever their JSON type.
 */
export const INSIGHT_INPUT_TEMPLATE = JSON.stringify(
  [
    'CloudTrail Insight <insightType> (<state>) in account <account>, <region>',
    'API: <eventName>',
    'Service: <eventSource>',
    'Baseline rate: <baseline> calls/min',
    'Anomalous rate: <insight> calls/min',
    'Started: <startTime>',
    'State: <state>',
  ].join('\n'),
);

export class InsightsAlertRule extends Construct {
  readonly ruleArn: string;
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: InsightsAlertRuleProps) {
    super(scope, id);
    const provider = props.provider;
    const pattern: Record<string, unknown> = { source: ['aws.cloudtrail'], 'detail-type': ['AWS Insight via CloudTrail'] };
    if (props.onlyStart) pattern.detail = { insightDetails: { state: ['Start'] } };

    const rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: props.ruleName ?? 'trailwatch-cloudtrail-insights',
      description: 'trailwatch: CloudTrail Insights events (unusual API call or error rates) to the alert topic',
      eventPattern: JSON.stringify(pattern),
      state: 'ENABLED',
    });

    if (props.directAlert ?? true) {
      new CloudwatchEventTarget(this, 'alert', {
        provider,
        rule: rule.name,
        targetId: 'alert-topic',
        arn: props.topicArn,
        inputTransformer: { inputPaths: { ...INSIGHT_INPUT_PATHS }, inputTemplate: INSIGHT_INPUT_TEMPLATE },
      });
    }

    if (props.responder) {
      new CloudwatchEventTarget(this, 'responder', {
        provider,
        rule: rule.name,
        targetId: 'responder',
        arn: props.responder.functionArn,
      });
      new LambdaPermission(this, 'invoke', {
        provider,
        statementId: 'AllowEventBridgeInsightsRule',
        action: 'lambda:InvokeFunction',
        functionName: props.responder.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
    }

    this.ruleArn = rule.arn;
    this.ruleName = rule.name;
  }
}
