/**
 * One detection on a CloudWatch Logs group: a metric filter and the alarm on the metric it
 * publishes. The alarm reads the metric name and namespace from the filter resource itself (a
 * Terraform reference, never a second literal), so the two cannot drift apart: an alarm watching a
 * metric its filter does not publish never fires, and nothing would say so.
 */
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { lintFilterPattern } from '../filter-pattern';
import { DEFAULT_NAMESPACE, type AlarmComparison, type AlarmStatistic, type TreatMissingData } from './plan';

export interface DetectionAlarmProps {
  /** Provider of the log group's region; both resources are created through it. */
  readonly provider: AwsProvider;
  /** CloudWatch Logs group the filter watches (the trail's log group). */
  readonly logGroupName: string;
  /** CloudWatch Logs filter pattern. Linted here: a pattern that does not parse, mixes && and || without parentheses or negates under || fails synth. */
  readonly pattern: string;
  /** Name of the metric filter; unique within the log group. */
  readonly filterName: string;
  /** Metric the filter publishes (1 per matching event). */
  readonly metricName: string;
  /** Namespace of that metric. @default CISBenchmark */
  readonly metricNamespace?: string;
  /** Alarm name; unique in the account and region. @default the filter name */
  readonly alarmName?: string;
  /** Alarm description. @default none */
  readonly alarmDescription?: string;
  /** Statistic over each period. @default Sum */
  readonly statistic?: AlarmStatistic;
  /** Period in seconds. @default 300 */
  readonly period?: number;
  /** Threshold the statistic is compared with. @default 1 */
  readonly threshold?: number;
  /** @default GreaterThanOrEqualToThreshold */
  readonly comparisonOperator?: AlarmComparison;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** Breaching periods (of evaluationPeriods) that raise the alarm. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default notBreaching: no matching events is normal, not missing data */
  readonly treatMissingData?: TreatMissingData;
  /** @default true */
  readonly actionsEnabled?: boolean;
  /** Notified when the alarm fires (e.g. the alert topic ARN). @default none */
  readonly alarmActions?: readonly string[];
  /** Notified when the alarm returns to OK. @default none */
  readonly okActions?: readonly string[];
  /** Notified when the alarm lacks data. @default none */
  readonly insufficientDataActions?: readonly string[];
}

export class DetectionAlarm extends Construct {
  /** Name of the metric filter. */
  readonly filterName: string;
  /** Metric name, as a reference to the filter's metric transformation. */
  readonly metricName: string;
  /** Metric namespace, as a reference to the filter's metric transformation. */
  readonly metricNamespace: string;
  readonly alarmName: string;
  readonly alarmArn: string;

  constructor(scope: Construct, id: string, props: DetectionAlarmProps) {
    super(scope, id);
    const errors = lintFilterPattern(props.pattern).filter((f) => f.severity === 'error' && !f.acknowledgeable); // the config loader enforced those
    if (errors.length > 0) {
      throw new Error(`detection ${id}: filter pattern refused (${errors[0].rule}): ${errors[0].message}; pattern: ${props.pattern}`);
    }

    const filter = new CloudwatchLogMetricFilter(this, 'filter', {
      provider: props.provider,
      name: props.filterName,
      logGroupName: props.logGroupName,
      pattern: props.pattern,
      metricTransformation: { name: props.metricName, namespace: props.metricNamespace ?? DEFAULT_NAMESPACE, value: '1' },
    });

    const alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      provider: props.provider,
      alarmName: props.alarmName ?? props.filterName,
      ...(props.alarmDescription !== undefined ? { alarmDescription: props.alarmDescription } : {}),
      // References, not literals: the alarm watches whatever the filter publishes.
      metricName: filter.metricTransformation.name,
      namespace: filter.metricTransformation.namespace,
      statistic: props.statistic ?? 'Sum',
      period: props.period ?? 300,
      threshold: props.threshold ?? 1,
      comparisonOperator: props.comparisonOperator ?? 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: props.evaluationPeriods ?? 1,
      ...(props.datapointsToAlarm !== undefined ? { datapointsToAlarm: props.datapointsToAlarm } : {}),
      treatMissingData: props.treatMissingData ?? 'notBreaching',
      actionsEnabled: props.actionsEnabled ?? true,
      alarmActions: [...(props.alarmActions ?? [])],
      okActions: [...(props.okActions ?? [])],
      insufficientDataActions: [...(props.insufficientDataActions ?? [])],
    });

    this.filterName = filter.name;
    this.metricName = filter.metricTransformation.name;
    this.metricNamespace = filter.metricTransformation.namespace;
    this.alarmName = alarm.alarmName;
    this.alarmArn = alarm.arn;
  }
}
