/**
 * Metric filters name their log group by a Terraform reference, never a literal: Terraform then
 * creates (or looks up) the group first. A literal lets Terraform create filters before the group,
 * and PutMetricFilter answers ResourceNotFoundException (the provider does not retry it).
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { minimalConfig } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

function filtersOf(extraYaml: string, stackName: string) {
  const { stacks } = buildApp(planAll(minimalConfig(extraYaml)), { outdir: Testing.app().outdir });
  const json = JSON.parse(Testing.synth(stacks.find((s) => s.node.id === stackName)!)) as Record<string, any>;
  return { json, filters: Object.values(json.resource.aws_cloudwatch_log_metric_filter) as Record<string, any>[] };
}

describe('metric filters reference their log group', () => {
  test('organization trail: the log group resource the trail delivers to', () => {
    const { json, filters } = filtersOf('', 'management');
    const [key] = Object.keys(json.resource.aws_cloudwatch_log_group);
    expect(filters).toHaveLength(15);
    for (const f of filters) expect(f.log_group_name).toBe(`\${aws_cloudwatch_log_group.${key}.name}`);
  });

  test('account trails: each account stack references its own group', () => {
    const { json, filters } = filtersOf('trail: { mode: account }\n', 'prod-app');
    const [key] = Object.keys(json.resource.aws_cloudwatch_log_group);
    for (const f of filters) expect(f.log_group_name).toBe(`\${aws_cloudwatch_log_group.${key}.name}`);
  });

  test('existing trail by name: the looked-up data source', () => {
    const { json, filters } = filtersOf('trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n', 'management');
    const [key] = Object.keys(json.data.aws_cloudwatch_log_group);
    expect(json.data.aws_cloudwatch_log_group[key].name).toBe('aws-controltower/CloudTrailLogs');
    for (const f of filters) expect(f.log_group_name).toBe(`\${data.aws_cloudwatch_log_group.${key}.name}`);
  });

  test('existing trail by prefix: the single group the lookup found', () => {
    const { json, filters } = filtersOf('trail:\n  mode: existing\n  existing: { logGroupNamePrefix: aws-controltower/CloudTrail }\n', 'management');
    const [key] = Object.keys(json.data.aws_cloudwatch_log_groups);
    for (const f of filters) expect(f.log_group_name).toMatch(new RegExp(`^\\$\\{element\\((tolist\\()+data\\.aws_cloudwatch_log_groups\\.${key}\\.log_group_names\\)+, 0\\)\\}$`));
  });
});
