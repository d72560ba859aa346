/** What verify expects is read from the stacks synth writes: references resolved where AWS derives the value, unknown where only apply knows it. */
import { loadConfigFile } from '../../lib/config/load';
import { detectionOf, planAccounts, resourcesOf, type PlannedAccount } from '../../lib/verify/planned';
import { EXAMPLE_CONFIG, synthConfigFile } from '../support/example';
import { planAll } from '../../lib/plan/plan';

let accounts: PlannedAccount[];
const account = (name: string) => accounts.find((a) => a.plan.stackName === name)!;

beforeAll(async () => {
  const config = loadConfigFile(EXAMPLE_CONFIG);
  accounts = await planAccounts(planAll(config));
});

test('every account stack synth writes, with every region it has a provider for', () => {
  expect(accounts.map((a) => a.plan.stackName)).toEqual(['management', 'log-archive', 'security', 'prod-payments', 'prod-web', 'dev-sandbox']);
  expect(account('dev-sandbox').regions).toContain('us-east-1');
  expect(account('prod-web').regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'eu-central-1']));
});

test('the values are the arguments of the synthesized Terraform JSON', () => {
  const synthesized = synthConfigFile().json('management');
  const [id, filter] = Object.entries(synthesized.resource.aws_cloudwatch_log_metric_filter as Record<string, any>)[0];
  const planned = resourcesOf(account('management'), 'aws_cloudwatch_log_metric_filter').find((r) => r.address.endsWith(`.${id}`))!;
  expect(planned.values.pattern).toBe(filter.pattern);
  expect(planned.values.name).toBe(filter.name);
  // The log group reference resolves to the group's name.
  expect(planned.values.log_group_name).toBe('aws-cloudtrail-logs/trailwatch');
});

test('references resolve to the names and ARNs AWS derives from account, region and name', () => {
  const alarm = resourcesOf(account('management'), 'aws_cloudwatch_metric_alarm', 'us-east-1').find((a) => a.values.alarm_name === 'trailwatch-root-account-usage')!;
  expect(alarm.values.alarm_actions).toEqual(['arn:aws:sns:us-east-1:111111111111:trailwatch-alerts']);
  expect(detectionOf(alarm)).toBe('root-account-usage');
  const trail = resourcesOf(account('management'), 'aws_cloudtrail')[0];
  expect(trail.values.cloud_watch_logs_group_arn).toBe('arn:aws:logs:us-east-1:111111111111:log-group:aws-cloudtrail-logs/trailwatch:*');
  // A key created at apply (here looked up through a data source) is unknown before: undefined, not a guess.
  expect('kms_key_id' in trail.values).toBe(true);
  expect(trail.values.kms_key_id).toBeUndefined();
  const rule = resourcesOf(account('prod-web'), 'aws_cloudwatch_event_rule', 'eu-west-1').find((r) => r.values.name === 'trailwatch-root-account-usage')!;
  expect(rule.region).toBe('eu-west-1');
  expect(detectionOf(rule)).toBe('root-account-usage');
  const topicPolicy = resourcesOf(account('security'), 'aws_sns_topic_policy')[0];
  expect(JSON.parse(String(topicPolicy.values.policy)).Statement[0].Resource).toBe('arn:aws:sns:us-east-1:333333333333:trailwatch-alerts');
});
