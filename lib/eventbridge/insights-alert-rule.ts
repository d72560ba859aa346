/**
 * CloudTrail Insights -> readable alerts. An EventBridge rule matches "AWS Insight via CloudTrail"
 * events; its SNS target rewrites the event through an input transformer into a message a human
 * reads at 3 a.m. (type, API, service, baseline and anomalous rates, start, state), and the
 * optional responder gets the raw event. Insights events arise in the region of the activity they
 * analyze, and a rule can target a topic or function of its own region only, so the other regions
 * get an InsightsForwardRule that sends the events (unchanged) to the alerting rule's bus.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { INSIGHTS_RULE_NAME } from './plan';

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
  /** Bus the rule listens on. @default the account's default bus */
  readonly eventBusName?: string;
}

export { INSIGHTS_RULE_NAME };

/** The Insights event pattern (Start events only with `onlyStart`). */
export function insightsPattern(onlyStart: boolean): Record<string, unknown> {
  const pattern: Record<string, unknown> = { source: ['aws.cloudtrail'], 'detail-type': ['AWS Insight via CloudTrail'] };
  if (onlyStart) pattern.detail = { insightDetails: { state: ['Start'] } };
  return pattern;
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
    const bus = props.eventBusName !== undefined ? { eventBusName: props.eventBusName } : {};

    const rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: props.ruleName ?? INSIGHTS_RULE_NAME,
      description: 'trailwatch: CloudTrail Insights events (unusual API call or error rates) to the alert topic',
      eventPattern: JSON.stringify(insightsPattern(props.onlyStart ?? false)),
      ...bus,
      state: 'ENABLED',
    });

    if (props.directAlert ?? true) {
      new CloudwatchEventTarget(this, 'alert', {
        provider,
        rule: rule.name,
        ...bus,
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

export interface InsightsForwardRuleProps {
  /** Provider of the region whose Insights events are forwarded. */
  readonly provider: AwsProvider;
  /** Bus that holds the alerting rule (another region's default bus, or the central bus). */
  readonly busArn: string;
  /** Role EventBridge assumes to put the events there (needs events:PutEvents on busArn). */
  readonly roleArn: string;
  /** Forward only Insights that start. @default false */
  readonly onlyStart?: boolean;
}

/** Forwards one region's Insights events unchanged to the bus where they alert. */
export class InsightsForwardRule extends Construct {
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: InsightsForwardRuleProps) {
    super(scope, id);
    const rule = new CloudwatchEventRule(this, 'rule', {
      provider: props.provider,
      name: INSIGHTS_RULE_NAME,
      description: 'trailwatch: forwards CloudTrail Insights events of this region to the bus that alerts on them',
      eventPattern: JSON.stringify(insightsPattern(props.onlyStart ?? false)),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(this, 'target', {
      provider: props.provider,
      rule: rule.name,
      targetId: 'insights-bus',
      arn: props.busArn,
      roleArn: props.roleArn,
    });
    this.ruleArn = rule.arn;
  }
}
