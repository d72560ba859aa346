/**
 * A management stack with CloudWatch Logs delivery set by hand (as the trail feature sets it), so
 * monitoring is tested on its own: config YAML -> plan -> AccountStack -> monitoringFeature -> JSON.
 */
import { Testing } from 'cdktf';
import { monitoringFeature } from '../../lib/monitoring/feature';
import { planOrganization } from '../../lib/plan/account-plan';
import { AccountStack } from '../../lib/stacks/account-stack';
import { minimalConfig } from '../support/configs';

export const LOG_GROUP = 'aws-cloudtrail-logs/trailwatch';

export function monitoredStack(extraYaml = '', opts: { region?: string; delivery?: boolean } = {}) {
  const organization = planOrganization(minimalConfig(extraYaml));
  const stack = new AccountStack(Testing.app(), { plan: organization.accounts[0], organization });
  const region = opts.region ?? 'us-east-1';
  if (opts.delivery !== false) {
    stack.logDelivery = {
      logGroupName: LOG_GROUP,
      logGroupArn: `arn:aws:logs:${region}:111111111111:log-group:${LOG_GROUP}`,
      region,
      provider: stack.providers.forRegion(region),
    };
  }
  monitoringFeature(stack);
  const json = JSON.parse(Testing.synth(stack)) as Record<string, any>;
  const resources = (type: string) => (json.resource?.[type] ?? {}) as Record<string, Record<string, any>>;
  const filters = () => Object.values(resources('aws_cloudwatch_log_metric_filter'));
  const alarms = () => Object.values(resources('aws_cloudwatch_metric_alarm'));
  /** The filter and alarm of one detection, by detection id. */
  const detection = (id: string) => {
    const [filterKey, filter] = Object.entries(resources('aws_cloudwatch_log_metric_filter')).find(([, f]) => f.name === `trailwatch-${id}`) ?? [];
    const alarm = alarms().find((a) => a.metric_name === `\${aws_cloudwatch_log_metric_filter.${filterKey}.metric_transformation[0].name}`);
    return { filterKey, filter, alarm };
  };
  return { stack, json, resources, filters, alarms, detection };
}
