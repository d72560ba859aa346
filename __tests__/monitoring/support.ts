/**
 * A stack with CloudWatch Logs delivery set by hand (as the trail feature returns it), so
 * monitoring is tested on its own: config YAML -> plan -> monitoringFeature -> JSON.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AlertTopicSlot } from '../../lib/alerting/alert-topic';
import { monitoringFeature } from '../../lib/monitoring/feature';
import { planAll } from '../../lib/plan/plan';
import { RegionalProviders } from '../../lib/providers/regional-providers';
import { minimalConfig } from '../support/configs';

export const LOG_GROUP = 'aws-cloudtrail-logs/trailwatch';

export function monitoredStack(extraYaml = '', opts: { region?: string; delivery?: boolean } = {}) {
  const plan = planAll(minimalConfig(extraYaml));
  const account = plan.organization.accounts[0];
  const stack = new TerraformStack(Testing.app(), account.stackName);
  const providers = new RegionalProviders(stack, 'providers', { accountId: account.accountId, regions: account.regions, primaryRegion: account.primaryRegion, access: account.access, tags: account.tags });
  const region = opts.region ?? 'us-east-1';
  const logDelivery =
    opts.delivery !== false
      ? { logGroupName: LOG_GROUP, logGroupNameReference: LOG_GROUP, logGroupArn: `arn:aws:logs:${region}:111111111111:log-group:${LOG_GROUP}`, region, provider: providers.forRegion(region) }
      : undefined;
  const topic = new AlertTopicSlot(stack, { accountId: account.accountId, alerting: plan.config.alerting, providerFor: (r) => providers.forRegion(r) });
  monitoringFeature(stack, { detections: plan.detections, alerting: plan.config.alerting, ...(logDelivery ? { logDelivery } : {}), topic });
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
  return { stack, providers, json, resources, filters, alarms, detection };
}
