/**
 * Stack feature: in the stack that owns the trail's CloudWatch Logs delivery (`stack.logDelivery`,
 * set by the trail feature), the alert topic and one metric filter + alarm per enabled detection,
 * all through the log group region's provider. Other stacks get nothing.
 *
 * Filters name the log group by reference (to the trail's `cloudwatch-logs` group or the
 * `existing-log-group` lookup), so Terraform orders them after it.
 *
 * Construct ids (part of the public contract): `alerting` (the topic, see AlertTopic) and
 * `monitoring/<detection id>/{filter,alarm}` (per-key detections: `{rule,alarm}`, ./contributor-alarm.ts); the output `alert-topic-arn`.
 */
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { AlertTopic } from '../alerting/alert-topic';
import { formatPath } from '../config/load';
import type { AccountStack } from '../stacks/account-stack';
import { CloudWatchLogsDelivery } from '../trail/cloudwatch-logs-delivery';
import { ExistingLogGroup } from '../trail/existing-log-group';
import { ContributorAlarm } from './contributor-alarm';
import { DetectionAlarm } from './detection-alarm';
import { planDetections } from './plan';

export function monitoringFeature(stack: AccountStack): void {
  const delivery = stack.logDelivery;
  if (!delivery) return;
  const config = stack.organization.config;
  const plan = planDetections(config.monitoring);
  if (!plan.enabled) return;
  // The config loader reports these with line:column before synth; reaching here is a bug. It also
  // enforced the acknowledgeable ones (an unknown field): those it let through are under acknowledge:.
  const problems = plan.problems.filter((p) => !p.acknowledgeable);
  if (problems.length > 0) {
    throw new Error(`monitoring plan has problems: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}`);
  }

  const alerting = config.alerting ?? {};
  const topic = new AlertTopic(stack, 'alerting', {
    provider: delivery.provider,
    accountId: stack.plan.accountId,
    region: delivery.region,
    ...(alerting.topicName !== undefined ? { topicName: alerting.topicName } : {}),
    ...(alerting.displayName !== undefined ? { displayName: alerting.displayName } : {}),
    subscriptions: alerting.subscriptions ?? [],
  });
  const notify = alerting.notifyOn ?? {};
  const to = (on: boolean) => (on ? [topic.topicArn] : []);

  const scope = new Construct(stack, 'monitoring');
  const logGroupName = logGroupNameReference(stack) ?? delivery.logGroupName;
  for (const d of plan.detections) {
    if (d.contributorRule) {
      new ContributorAlarm(scope, d.id, {
        provider: delivery.provider,
        logGroupName,
        rule: d.contributorRule,
        alarm: d.alarm,
        alarmActions: to(notify.alarm ?? true),
        okActions: to(notify.ok ?? false),
        insufficientDataActions: to(notify.insufficientData ?? false),
      });
      continue;
    }
    new DetectionAlarm(scope, d.id, {
      provider: delivery.provider,
      logGroupName,
      pattern: d.pattern,
      filterName: d.filterName,
      metricName: d.metricName,
      metricNamespace: d.namespace,
      alarmName: d.alarm.name,
      alarmDescription: d.alarm.description,
      statistic: d.alarm.statistic,
      period: d.alarm.period,
      threshold: d.alarm.threshold,
      comparisonOperator: d.alarm.comparisonOperator,
      evaluationPeriods: d.alarm.evaluationPeriods,
      ...(d.alarm.datapointsToAlarm !== undefined ? { datapointsToAlarm: d.alarm.datapointsToAlarm } : {}),
      treatMissingData: d.alarm.treatMissingData,
      actionsEnabled: d.alarm.actionsEnabled,
      alarmActions: to(notify.alarm ?? true),
      okActions: to(notify.ok ?? false),
      insufficientDataActions: to(notify.insufficientData ?? false),
    });
  }

  new TerraformOutput(stack, 'alert-topic-arn', {
    value: topic.topicArn,
    description: 'SNS topic that receives trailwatch alerts (subscribe AWS Chatbot or other consumers to it)',
  });
}

/**
 * The trail's log group name as a reference to the resource (or data source) that holds it, so
 * Terraform creates the filters after the group: PutMetricFilter on a group that does not exist yet
 * fails with ResourceNotFoundException and the provider does not retry it. undefined when the stack
 * has neither construct (a delivery set by hand).
 */
function logGroupNameReference(stack: AccountStack): string | undefined {
  for (const id of ['cloudwatch-logs', 'existing-log-group']) {
    const c = stack.node.tryFindChild(id);
    if (c instanceof CloudWatchLogsDelivery || c instanceof ExistingLogGroup) return c.logGroupNameReference;
  }
  return undefined;
}

/** The alert topic of a stack, once monitoringFeature has run there; undefined elsewhere. */
export function alertTopicOf(stack: AccountStack): AlertTopic | undefined {
  const child = stack.node.tryFindChild('alerting');
  return child instanceof AlertTopic ? child : undefined;
}
