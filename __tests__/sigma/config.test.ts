/**
 * `monitoring.sigma` in trailwatch.yaml: rule files (relative to the config file) become
 * detections of kind sigma next to the catalog; a rule that cannot be converted is a config error
 * naming the config entry and the rule's file:line; nothing is synthesized from a refused config.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, parseConfigWithWarnings } from '../../lib/config/load';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { planDetections } from '../../lib/monitoring/plan';
import { tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';
import { synthConfigFile } from '../support/example';

const VENDOR = path.join(__dirname, '../../vendor/sigma');

/** A config folder with `rules/` holding the named vendored rules, and trailwatch.yaml using them. */
function project(rules: string[], sigmaYaml = '  sigma: [rules]\n'): string {
  const dir = tempDir('tw-sigma-config-');
  fs.mkdirSync(path.join(dir, 'rules'));
  for (const r of rules) fs.copyFileSync(path.join(VENDOR, r), path.join(dir, 'rules', r));
  fs.writeFileSync(path.join(dir, 'trailwatch.yaml'), `${MINIMAL_YAML}monitoring:\n${sigmaYaml}`);
  return path.join(dir, 'trailwatch.yaml');
}
const load = (file: string) => parseConfigWithWarnings(fs.readFileSync(file, 'utf8'), file);
const refusal = (file: string): string => {
  try {
    load(file);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('the config was accepted');
};

test('converted rules join the plan after the catalog, with the rule\'s alarm and attribution', () => {
  const file = project(['aws_root_account_usage.yml', 'aws_enum_listing.yml']);
  const { config, warnings } = load(file);
  const plan = planDetections(config.monitoring);
  const sigma = plan.detections.filter((d) => d.kind === 'sigma');
  expect(sigma.map((d) => d.id)).toEqual(['sigma-e9c14b23-47e2-4a8b-8a63-d36618e33d70', 'sigma-8ad1600d-e9dc-4251-b0ee-a65268f29add']);
  const listing = sigma[0];
  expect(listing).toMatchObject({ pattern: '{ ($.eventName = "List*") }', filterName: 'trailwatch-sigma-e9c14b23-47e2-4a8b-8a63-d36618e33d70' });
  // `| count() > 50` with `timeframe: 10m`.
  expect(listing.alarm).toMatchObject({ threshold: 51, period: 600, comparisonOperator: 'GreaterThanOrEqualToThreshold' });
  const root = sigma[1];
  expect(root.pattern).toBe('{ ($.userIdentity.type = "Root") && (($.eventType NOT EXISTS) || ($.eventType != "AwsServiceEvent")) }');
  expect(root.alarm.description).toMatch(/^AWS Root Credentials \(Sigma rule 8ad1600d-e9dc-4251-b0ee-a65268f29add by vitaliy0x1, aws_root_account_usage\.yml\)\. ATT&CK: T1078\.004, /);
  expect(warnings).toEqual([]);
});

test('Sigma detections get no EventBridge rules (regex and count rules have no per-event form)', () => {
  const { config } = load(project(['aws_root_account_usage.yml']));
  expect(planEventBridge(config).detections.map((d) => d.control.id).filter((id) => id.startsWith('sigma-'))).toEqual([]);
});

test('case warnings point at the config entry', () => {
  const { warnings } = load(project(['aws_console_getsignintoken.yml']));
  expect(warnings).toEqual([expect.objectContaining({ path: ['monitoring', 'sigma', 0], line: 11, message: expect.stringMatching(/aws_console_getsignintoken\.yml:24:9: userAgent is compared case-sensitively/) })]);
});

test('a rule that cannot be converted fails the config with the entry and the rule\'s place', () => {
  const message = refusal(project(['aws_root_account_usage.yml', 'aws_update_login_profile.yml']));
  expect(message).toMatch(/monitoring\.sigma\[0\].*Sigma rule cannot be converted: .*aws_update_login_profile\.yml:24:9: userIdentity\.arn\|fieldref/);
});

test('a missing path is a config error at its entry', () => {
  expect(refusal(project([], '  sigma: [rules, no-such-folder]\n'))).toMatch(/monitoring\.sigma\[1\].*cannot read Sigma rules at .*no-such-folder: no such file or folder/);
});

test('synth: a metric filter and an alarm per rule, the alarm described with the rule\'s attribution', () => {
  const out = synthConfigFile(project(['aws_susp_saml_activity.yml']));
  const stack = out.stacks.find((s) => Object.values(out.json(s).resource?.aws_cloudwatch_log_metric_filter ?? {}).length > 0)!;
  const json = out.json(stack);
  const filters = Object.values(json.resource.aws_cloudwatch_log_metric_filter) as { name: string; pattern: string }[];
  expect(filters.find((f) => f.name === 'trailwatch-sigma-f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e')?.pattern).toBe(
    '{ (($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRoleWithSAML")) || (($.eventSource = "iam.amazonaws.com") && ($.eventName = "UpdateSAMLProvider")) }',
  );
  const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as { alarm_name: string; alarm_description: string }[];
  expect(alarms.find((a) => a.alarm_name === 'trailwatch-sigma-f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e')?.alarm_description).toMatch(
    /^AWS Suspicious SAML Activity \(Sigma rule f43f5d2f-3f2a-4cc8-b1af-81fde7dbaf0e by Austin Songer/,
  );
});
