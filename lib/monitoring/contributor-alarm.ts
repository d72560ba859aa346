/**
 * One per-key detection on a CloudWatch Logs group: a Contributor Insights rule that counts the
 * matching events per key value (e.g. per `$.userIdentity.arn`) and an alarm on the rule's largest
 * contributor, the metric math `INSIGHT_RULE_METRIC(rule, 'MaxContributorValue')`: the alarm fires
 * when any single contributor reaches the threshold in a period, however many others there are.
 *
 * The rule body is the one AWS documents for a CloudWatch Logs rule ("Contributor Insights rule
 * syntax", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html);
 * the alarm reads the rule name from the rule resource (a Terraform reference), so it waits for it
 * and cannot watch another rule. Construct ids: `<id>/rule` and `<id>/alarm` (the alarm keeps the
 * address a metric-filter detection's alarm has).
 */
import { CloudwatchContributorInsightRule } from '@cdktf/provider-aws/lib/cloudwatch-contributor-insight-rule';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { contributorRuleBody } from '../filter-pattern/contributor-insights';
import type { AlarmPlan, ContributorRulePlan } from './plan';

export interface ContributorAlarmProps {
  readonly provider: AwsProvider;
  /** The trail's log group (a reference, so the rule is created after it). */
  readonly logGroupName: string;
  readonly rule: ContributorRulePlan;
  readonly alarm: AlarmPlan;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

/** The metric the alarm watches: the count of the rule's top contributor in each period. */
export const insightRuleMetric = (ruleName: string): string => `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`;

export class ContributorAlarm extends Construct {
  readonly ruleName: string;
  readonly alarmName: string;
  readonly alarmArn: string;

  constructor(scope: Construct, id: string, props: ContributorAlarmProps) {
    super(scope, id);
    const rule = new CloudwatchContributorInsightRule(this, 'rule', {
      provider: props.provider,
      ruleName: props.rule.ruleName,
      ruleState: 'ENABLED',
      ruleDefinition: contributorRuleBody(props.logGroupName, props.rule.keys, props.rule.filters),
    });
    const a = props.alarm;
    const alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      provider: props.provider,
      alarmName: a.name,
      alarmDescription: a.description,
      metricQuery: [{ id: 'top', expression: insightRuleMetric(rule.ruleName), label: `largest contributor per ${props.rule.fields.join(' + ')}`, period: a.period, returnData: true }],
      threshold: a.threshold,
      comparisonOperator: a.comparisonOperator,
      evaluationPeriods: a.evaluationPeriods,
      ...(a.datapointsToAlarm !== undefined ? { datapointsToAlarm: a.datapointsToAlarm } : {}),
      treatMissingData: a.treatMissingData,
      actionsEnabled: a.actionsEnabled,
      alarmActions: [...props.alarmActions],
      okActions: [...props.okActions],
      insufficientDataActions: [...props.insufficientDataActions],
    });
    this.ruleName = rule.ruleName;
    this.alarmName = alarm.alarmName;
    this.alarmArn = alarm.arn;
  }
}
