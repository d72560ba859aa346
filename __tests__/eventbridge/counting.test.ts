/**
 * A detection whose alarm counts (threshold above 1, or M of N with M > 1) never becomes a
 * per-event EventBridge alert, whatever its kind: an EventBridge rule acts on each matching event,
 * so it would page on every single failed sign-in the alarm was tuned to tolerate. It stays a metric
 * filter, with a warning at the setting that makes it count (acknowledgeable).
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { parseConfigText, parseConfigWithWarnings } from '../../lib/config/load';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { MINIMAL_YAML } from '../support/configs';
import { synthConfigFile } from '../support/example';
import { planAll } from '../../lib/plan/plan';

const ruleIds = (yaml: string) => planEventBridge(parseConfigText(MINIMAL_YAML + yaml)).detections.map((d) => d.control.id);
const warnings = (yaml: string) => parseConfigWithWarnings(MINIMAL_YAML + yaml, 'tw.yaml').warnings.map((w) => `${w.path.join('.')}: ${w.message}`);

test('a CIS control with threshold 3 gets no EventBridge rule, with a warning saying why at its alarm', () => {
  const yaml = 'monitoring:\n  controls:\n    console-auth-failures: { alarm: { threshold: 3 } }\n';
  expect(ruleIds('')).toContain('console-auth-failures');
  expect(ruleIds(yaml)).not.toContain('console-auth-failures');
  expect(ruleIds(yaml)).toContain('root-account-usage');
  expect(warnings(yaml)).toContainEqual(
    'monitoring.controls.console-auth-failures.alarm: console-auth-failures runs as a metric filter only, not as an EventBridge rule: its alarm needs at least 3 matching events in 300 s; an EventBridge rule acts on every single matching event and cannot count, so it would alert on each event the alarm tolerates',
  );
  // Acknowledged like any warning; the metric filter and alarm stay.
  const acked = parseConfigWithWarnings(`${MINIMAL_YAML}${yaml}acknowledge: ['monitoring.controls["console-auth-failures"].alarm']\n`, 'tw.yaml');
  expect(acked.warnings).toEqual([]);
  const { stacks } = buildApp(planAll(acked.config), { outdir: Testing.app().outdir });
  const prod = JSON.parse(Testing.synth(stacks.find((s) => s.account.stackName === 'prod-app')!));
  expect(Object.values(prod.resource.aws_cloudwatch_event_rule).map((r: any) => r.name)).not.toContain('trailwatch-console-auth-failures');
  const management = JSON.parse(Testing.synth(stacks.find((s) => s.account.stackName === 'management')!));
  expect(Object.values(management.resource.aws_cloudwatch_metric_alarm).find((a: any) => a.alarm_name === 'trailwatch-console-auth-failures')).toMatchObject({ threshold: 3 });
});

test('M of N: two breaching periods count; one of three does not', () => {
  expect(ruleIds('monitoring:\n  controls:\n    root-account-usage: { alarm: { evaluationPeriods: 3, datapointsToAlarm: 2 } }\n')).not.toContain('root-account-usage');
  expect(ruleIds('monitoring:\n  controls:\n    root-account-usage: { alarm: { evaluationPeriods: 3 } }\n')).not.toContain('root-account-usage');
  expect(ruleIds('monitoring:\n  controls:\n    root-account-usage: { alarm: { evaluationPeriods: 3, datapointsToAlarm: 1 } }\n')).toContain('root-account-usage');
});

test('alarmDefaults that count take every control off EventBridge, each warned at alarmDefaults', () => {
  const yaml = 'monitoring:\n  alarmDefaults: { threshold: 2 }\n';
  expect(ruleIds(yaml)).toEqual([]);
  expect(warnings(yaml).filter((w) => w.startsWith('monitoring.alarmDefaults: ')).length).toBeGreaterThanOrEqual(14);
});

test('threat detections follow the same rule: a threshold set in the config keeps a rule off EventBridge', () => {
  const yaml = 'monitoring:\n  threats:\n    eventbridge: true\n    detections:\n      iam-user-created: { alarm: { threshold: 2 } }\n';
  expect(ruleIds('monitoring:\n  threats: { eventbridge: true }\n')).toContain('iam-user-created');
  expect(ruleIds(yaml)).not.toContain('iam-user-created');
  expect(warnings(yaml)).toContainEqual(expect.stringMatching(/^monitoring\.threats\.detections\.iam-user-created\.alarm: iam-user-created runs as a metric filter only/));
});

test('a custom detection that counts is warned about its count', () => {
  const yaml = "monitoring:\n  custom:\n    - id: access-keys\n      title: keys\n      pattern: '{ $.eventName = \"CreateAccessKey\" }'\n      alarm: { threshold: 5 }\n";
  expect(warnings(yaml)).toContainEqual(expect.stringMatching(/^monitoring\.custom\.0: access-keys runs as a metric filter only, not as an EventBridge rule: its alarm needs at least 5 matching events/));
});

test('the example: console-auth-failures (threshold 3) has an alarm and no EventBridge rule in any stack', () => {
  const out = synthConfigFile();
  for (const s of out.stacks) {
    const names = Object.values(out.json(s).resource?.aws_cloudwatch_event_rule ?? {}).map((r: any) => r.name);
    expect(names).not.toContain('trailwatch-console-auth-failures');
  }
  const alarms = out.stacks.flatMap((s) => Object.values(out.json(s).resource?.aws_cloudwatch_metric_alarm ?? {}) as any[]);
  expect(alarms.find((a) => a.alarm_name === 'trailwatch-console-auth-failures')).toMatchObject({ threshold: 3 });
});

describe('a condition EventBridge cannot express stays a metric filter, with a warning', () => {
  const yaml = `monitoring:\n  controls:\n    unauthorized-api-calls:\n      exclude:\n        identities: ['arn:aws:sts::*:assumed-role/ReadOnly/*', 'arn:aws:iam::*:user/auditor-*']\n`;
  test('two wildcard exclusions on one field (anything-but wildcard has one documented pattern): no rule, a warning that says why', () => {
    const { config, warnings } = parseConfigWithWarnings(MINIMAL_YAML + yaml, 'tw.yaml');
    expect(planEventBridge(config).detections.map((d) => d.control.id)).not.toContain('unauthorized-api-calls');
    expect(warnings.map((w) => `${w.path.join('.')}: ${w.message}`)).toContainEqual(
      expect.stringMatching(/unauthorized-api-calls\.exclude: kept off EventBridge \(metric filter only\): anything-but with several wildcards on userIdentity\.arn/),
    );
  });
  test('one wildcard exclusion still renders the documented form', () => {
    const { config } = parseConfigWithWarnings(MINIMAL_YAML + yaml.replace(", 'arn:aws:iam::*:user/auditor-*'", ''), 'tw.yaml');
    expect(planEventBridge(config).detections.map((d) => d.control.id)).toContain('unauthorized-api-calls');
  });
});
