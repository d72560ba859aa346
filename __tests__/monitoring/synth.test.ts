/**
 * Metric filters and alarms as synthesized: on the trail's log group, through its region's
 * provider, every alarm wired to its filter by reference, notifying the alert topic.
 */
import { Testing } from 'cdktf';
import { DetectionAlarm } from '../../lib/monitoring/detection-alarm';
import { alarmWiringViolations } from '../support/safety';
import { LOG_GROUP, monitoredStack } from './support';

describe('one metric filter and one alarm per enabled detection', () => {
  test('the fifteen CIS controls on the trail\'s log group, named after their ids', () => {
    const s = monitoredStack();
    expect(s.filters()).toHaveLength(15);
    expect(s.alarms()).toHaveLength(15);
    expect(s.filters().every((f) => f.log_group_name === LOG_GROUP)).toBe(true);
    expect(s.filters().map((f) => f.name)).toContain('trailwatch-root-account-usage');
    expect(s.detection('root-account-usage').filter!.pattern).toBe(
      '{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && (($.eventType NOT EXISTS) || ($.eventType != "AwsServiceEvent")) }',
    );
  });

  test('each filter publishes 1 per match to its metric in the CISBenchmark namespace (configurable)', () => {
    expect(monitoredStack().detection('vpc-changes').filter!.metric_transformation).toEqual({ name: 'VPCChanges', namespace: 'CISBenchmark', value: '1' });
    expect(monitoredStack('monitoring: { namespace: Security/CIS }\n').detection('vpc-changes').filter!.metric_transformation.namespace).toBe('Security/CIS');
  });

  test('disabled controls get neither filter nor alarm; custom detections get both', () => {
    const s = monitoredStack(
      `monitoring:\n  controls:\n    vpc-changes: { enabled: false }\n  custom:\n    - { id: access-key-created, title: Access key created, pattern: '{ $.eventName = "CreateAccessKey" }' }\n`,
    );
    expect(s.filters().map((f) => f.name)).not.toContain('trailwatch-vpc-changes');
    expect(s.detection('access-key-created').filter!.pattern).toBe('{ $.eventName = "CreateAccessKey" }');
    expect(s.detection('access-key-created').alarm!.alarm_name).toBe('trailwatch-access-key-created');
    expect(s.filters()).toHaveLength(15);
  });

  test('resources go through the provider of the log group\'s region', () => {
    const s = monitoredStack('', { region: 'eu-west-1' });
    expect(new Set([...s.filters(), ...s.alarms()].map((r) => r.provider))).toEqual(new Set(['aws.eu-west-1']));
    expect(monitoredStack().filters()[0].provider).toBe('aws');
  });

  test('a stack without CloudWatch Logs delivery gets no monitoring at all', () => {
    const s = monitoredStack('', { delivery: false });
    expect(s.json.resource).toBeUndefined();
  });

  test('monitoring.enabled false: no filters, alarms or topic even where logs are delivered', () => {
    const s = monitoredStack('monitoring: { enabled: false }\n');
    expect(s.json.resource).toBeUndefined();
  });
});

describe('alarm wiring', () => {
  test('every alarm reads metric name and namespace from its own filter\'s transformation, by reference', () => {
    const s = monitoredStack(`monitoring:\n  custom:\n    - { id: my-detection, title: t, pattern: '{ $.eventName = "X" }' }\n`);
    expect(s.alarms()).toHaveLength(16);
    for (const [key, filter] of Object.entries(s.resources('aws_cloudwatch_log_metric_filter'))) {
      const alarm = s.alarms().find((a) => a.metric_name === `\${aws_cloudwatch_log_metric_filter.${key}.metric_transformation[0].name}`);
      expect(alarm).toBeDefined();
      expect(alarm!.namespace).toBe(`\${aws_cloudwatch_log_metric_filter.${key}.metric_transformation[0].namespace}`);
      expect(alarm!.alarm_name).toBe(filter.name);
    }
    expect(alarmWiringViolations(s.json)).toEqual([]);
  });

  test('the wiring check catches a literal metric name that drifted from its filter', () => {
    const s = monitoredStack();
    const [first] = Object.keys(s.resources('aws_cloudwatch_metric_alarm'));
    s.json.resource.aws_cloudwatch_metric_alarm[first].metric_name = 'UnauthorizedAPICalls';
    expect(alarmWiringViolations(s.json)).toEqual([expect.stringMatching(/metric_name "UnauthorizedAPICalls" is not a reference to a metric filter/), expect.stringMatching(/is watched by 0 alarms/)]);
  });

  test('alarm defaults: Sum over 300 s, >= 1 in one period, missing data is not breaching, actions on', () => {
    const a = monitoredStack().detection('iam-policy-changes').alarm!;
    expect(a).toMatchObject({
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
    });
    expect(a.datapoints_to_alarm).toBeUndefined();
    expect(a.alarm_description).toMatch(/^IAM policy changes\. CIS AWS Foundations 3\.4 \(v1\.2\.0\), 4\.4 \(v1\.4\.0\), 4\.4 \(v3\.0\.0\), 5\.4 \(v5\.0\.0\); Security Hub CloudWatch\.4\. /);
  });

  test('per-control alarm overrides reach the alarm', () => {
    const a = monitoredStack('monitoring:\n  controls:\n    console-auth-failures:\n      alarm: { threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 2, actionsEnabled: false }\n').detection('console-auth-failures').alarm!;
    expect([a.threshold, a.evaluation_periods, a.datapoints_to_alarm, a.actions_enabled]).toEqual([5, 3, 2, false]);
  });
});

describe('alarm actions notify the alert topic', () => {
  const topicRef = (s: ReturnType<typeof monitoredStack>) => `\${aws_sns_topic.${Object.keys(s.resources('aws_sns_topic'))[0]}.arn}`;

  test('by default only the ALARM state notifies', () => {
    const s = monitoredStack();
    for (const a of s.alarms()) {
      expect(a.alarm_actions).toEqual([topicRef(s)]);
      expect(a.ok_actions).toEqual([]);
      expect(a.insufficient_data_actions).toEqual([]);
    }
  });

  test('notifyOn adds OK and insufficient-data notifications', () => {
    const s = monitoredStack('alerting: { notifyOn: { ok: true, insufficientData: true } }\n');
    const a = s.detection('vpc-changes').alarm!;
    expect([a.alarm_actions, a.ok_actions, a.insufficient_data_actions]).toEqual([[topicRef(s)], [topicRef(s)], [topicRef(s)]]);
  });

  test('the topic ARN is a stack output for subscribers managed elsewhere (AWS Chatbot)', () => {
    const s = monitoredStack();
    expect(s.json.output['alert-topic-arn'].value).toBe(topicRef(s));
  });
});

describe('lint at synth time', () => {
  test('a DetectionAlarm with a pattern that negates under || fails synth, naming the detection and the text', () => {
    const s = monitoredStack('', { delivery: false });
    expect(
      () =>
        new DetectionAlarm(s.stack, 'noisy', {
          provider: s.providers.primary,
          logGroupName: LOG_GROUP,
          filterName: 'noisy',
          metricName: 'Noisy',
          pattern: '{ ($.errorCode = "AccessDenied*") || ($.eventName != "HeadBucket") }',
        }),
    ).toThrow(/^detection noisy: filter pattern refused \(negation-in-or\): .*; pattern: \{ \(\$\.errorCode = "AccessDenied\*"\) \|\| \(\$\.eventName != "HeadBucket"\) \}$/);
  });

  test('a DetectionAlarm with an unparsable pattern fails synth', () => {
    const s = monitoredStack('', { delivery: false });
    expect(
      () => new DetectionAlarm(s.stack, 'broken', { provider: s.providers.primary, logGroupName: LOG_GROUP, filterName: 'b', metricName: 'B', pattern: '{ $.eventName = ' }),
    ).toThrow(/^detection broken: filter pattern refused \(syntax\)/);
    // Nothing half-built is left for synth to write.
    expect(Testing.synth(s.stack)).not.toMatch(/aws_cloudwatch_log_metric_filter/);
  });
});
