/**
 * `patternSet: both`: the intent patterns (cis) and, beside each, Security Hub's exact string as a
 * second filter and alarm, kept apart by name and metric namespace, so Security Hub's
 * CloudWatch.1-14 pass while the alarms users act on mean what the benchmark says.
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { CATALOG, cloudWatchPatternFor } from '../../lib/catalog';
import { parseConfigWithWarnings } from '../../lib/config/load';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { planDetections } from '../../lib/monitoring/plan';
import { MINIMAL_YAML } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

const yaml = `${MINIMAL_YAML}monitoring:
  patternSet: both
  controls:
    unauthorized-api-calls:
      exclude: { identities: ['arn:aws:sts::*:assumed-role/ReadOnly/*'] }
      alarm: { name: denied-calls }
`;
const { config, warnings } = parseConfigWithWarnings(yaml, 'tw.yaml');
const plan = planDetections(config.monitoring);
const WITH_EXACT = CATALOG.filter((c) => c.exactPatterns?.securityhub !== undefined);

test('every control with a Security Hub string gets both: its intent pattern and, as <id>-securityhub, the exact string', () => {
  expect(WITH_EXACT.length).toBeGreaterThanOrEqual(14);
  for (const c of WITH_EXACT) {
    const intent = plan.detections.find((d) => d.id === c.id)!;
    const copy = plan.detections.find((d) => d.id === `${c.id}-securityhub`)!;
    if (c.id !== 'unauthorized-api-calls') expect(intent.pattern).toBe(cloudWatchPatternFor(c, 'cis'));
    // Byte for byte, exclusions left out: Security Hub fails the control on any other string.
    expect(copy.pattern).toBe(c.exactPatterns!.securityhub);
    expect([intent.namespace, copy.namespace]).toEqual(['CISBenchmark', 'CISBenchmark/SecurityHub']);
    expect(copy.metricName).toBe(intent.metricName);
    expect(copy.filterName).toBe(`trailwatch-${c.id}-securityhub`);
  }
  const denied = plan.detections.find((d) => d.id === 'unauthorized-api-calls')!;
  expect(denied.pattern).toContain('assumed-role/ReadOnly/*');
  expect(denied.alarm.name).toBe('denied-calls');
  expect(plan.detections.find((d) => d.id === 'unauthorized-api-calls-securityhub')!.alarm.name).toBe('denied-calls-securityhub');
  expect(plan.problems).toEqual([]);
  expect(warnings.map((w) => w.message).filter((m) => m.includes('Security Hub'))).toEqual([]);
});

test('one EventBridge rule per control (from the intent detection), none for the Security Hub copies', () => {
  const ids = planEventBridge(config).detections.map((d) => d.ruleName);
  expect(ids.filter((n) => n.endsWith('-securityhub'))).toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);
});

test('synthesized: two filters per control in two namespaces, each alarm on its own filter\'s metric', () => {
  const { stacks } = buildApp(planAll(config), { outdir: Testing.app().outdir });
  const management = JSON.parse(Testing.synth(stacks.find((s) => s.account.stackName === 'management')!));
  const filters = Object.values(management.resource.aws_cloudwatch_log_metric_filter) as any[];
  const alarms = Object.values(management.resource.aws_cloudwatch_metric_alarm) as any[];
  const root = filters.find((f) => f.name === 'trailwatch-root-account-usage-securityhub');
  expect(root.pattern).toBe(CATALOG.find((c) => c.id === 'root-account-usage')!.exactPatterns!.securityhub);
  expect(root.metric_transformation.namespace).toBe('CISBenchmark/SecurityHub');
  expect(filters.find((f) => f.name === 'trailwatch-root-account-usage').metric_transformation.namespace).toBe('CISBenchmark');
  expect(alarms.map((a) => a.alarm_name)).toEqual(expect.arrayContaining(['trailwatch-root-account-usage', 'trailwatch-root-account-usage-securityhub']));
  expect(filters).toHaveLength(CATALOG.length + WITH_EXACT.length);
});
