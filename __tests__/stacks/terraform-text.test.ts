/**
 * Text trailwatch did not write reaches Terraform escaped, whatever field it lands in: Terraform
 * reads back exactly what the config says, and evaluates none of it. Backend settings are the
 * exception Terraform makes itself (read literally), so they go through as written.
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { minimalConfig } from '../support/configs';
import { terraformReads } from '../support/terraform';
import { planAll } from '../../lib/plan/plan';

const DISPLAY = '${file("/etc/passwd")} %{ if true }x%{ endif }';
const TITLE = 'Jersey/${project.version} and $${already} and 100%';
const PATTERN = '{ ($.eventSource = "signin.amazonaws.com") && ($.userAgent = "*${project.version}*") }';

const yaml = `alerting: { displayName: ${JSON.stringify(DISPLAY)} }
backend: { type: cloud, organization: "\${var.org}", workspacePrefix: tw- }
monitoring:
  custom:
    - id: templated-agent
      title: ${JSON.stringify(TITLE)}
      pattern: ${JSON.stringify(PATTERN)}
`;

const config = minimalConfig(yaml);
const stacks = buildApp(planAll(config), { outdir: Testing.app().outdir }).stacks;
const management = JSON.parse(Testing.synth(stacks.find((s) => s.account.stackName === 'management')!)) as Record<string, any>;
const one = (type: string, pick: (r: any) => boolean) => Object.values(management.resource[type] as Record<string, any>).find(pick);

test('a config value with ${ and %{ is accepted', () => {
  expect(config.alerting?.displayName).toBe(DISPLAY);
});

test('Terraform reads the display name, custom pattern and alarm description exactly as the config wrote them', () => {
  const topic = one('aws_sns_topic', (t) => t.display_name !== undefined);
  const filter = one('aws_cloudwatch_log_metric_filter', (f) => f.name === 'trailwatch-templated-agent');
  const alarm = one('aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'trailwatch-templated-agent');
  expect(topic.display_name).toBe('$${file("/etc/passwd")} %%{ if true }x%%{ endif }');
  const read = terraformReads([topic.display_name, filter.pattern, alarm.alarm_description]);
  expect(read[0]).toBe(DISPLAY);
  expect(read[1]).toBe(PATTERN);
  expect(read[2]).toContain(TITLE);
});

test('trailwatch\'s own references stay references', () => {
  const filter = one('aws_cloudwatch_log_metric_filter', (f) => f.name === 'trailwatch-templated-agent');
  expect(filter.log_group_name).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/);
});

test('backend settings, which Terraform reads literally, are written as the config says', () => {
  expect(JSON.stringify(management.terraform)).toContain('"organization":"${var.org}"');
});

