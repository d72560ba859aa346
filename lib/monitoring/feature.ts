/**
 * Stack feature: in the stack that owns the trail's CloudWatch Logs delivery (the trail feature's
 * output), the alert topic and one metric filter + alarm per enabled detection, all through the
 * log group region's provider. Other stacks get nothing.
 *
 * Filters name the log group by reference (to the trail's `cloudwatch-logs` group or the
 * `existing-log-group` lookup), so Terraform orders them after it.
 *
 * Construct ids (part of the public contract): `alerting` (the topic, see AlertTopic) and
 * `monitoring/<detection id>/{filter,alarm}` (per-key detections: `{rule,alarm}`, ./contributor-alarm.ts); the output `alert-topic-arn`.
 */
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { AlertingConfig } from '../alerting/schema';
import type { AlertTopicSlot } from '../alerting/alert-topic';
import { formatPath } from '../text/config-path';
import type { StackLogDelivery } from '../trail/feature';
import { ContributorAlarm } from './contributor-alarm';
import { DetectionAlarm } from './detection-alarm';
import type { MonitoringPlan } from './plan';

export interface MonitoringFeatureProps {
  /** The Plan's detections. */
  readonly detections: MonitoringPlan;
  /** The `alerting:` section: which alarm states notify. */
  readonly alerting?: AlertingConfig;
  /** The trail feature's log delivery in this stack; without one, monitoring adds nothing. */
  readonly logDelivery?: StackLogDelivery;
  /** The stack's alert topic (made here, next to the log group). */
  readonly topic: AlertTopicSlot;
}

export function monitoringFeature(stack: Construct, props: MonitoringFeatureProps): void {
  const delivery = props.logDelivery;
  if (!delivery) return;
  const plan = props.detections;
  if (!plan.enabled) return;
  // The config loader reports these with line:column before synth; reaching here is a bug. It also
  // enforced the acknowledgeable ones (an unknown field): those it let through are under acknowledge:.
  const problems = plan.problems.filter((p) => !p.acknowledgeable);
  if (problems.length > 0) {
    throw new Error(`monitoring plan has problems: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}`);
  }

  const alerting = props.alerting ?? {};
  const { topic } = props.topic.topicIn(delivery.region);
  const notify = alerting.notifyOn ?? {};
  const to = (on: boolean) => (on ? [topic.topicArn] : []);

  const scope = new Construct(stack, 'monitoring');
  // A reference to the group's resource, so Terraform creates the filters after the group:
  // PutMetricFilter on a group that does not exist yet fails and the provider does not retry it.
  const logGroupName = delivery.logGroupNameReference;
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
