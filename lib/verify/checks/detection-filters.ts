/** Each planned metric filter exists on the planned log group with exactly the planned pattern. */
import { DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { resourcesOf } from '../planned';
import { allPages, errorName, redeploy, type Check, type Problem } from '../types';

export const detectionFilters: Check = {
  id: 'detection-filters',
  title: 'The metric filters exist with the planned patterns',
  severity: 'high',
  actions: ['logs:DescribeMetricFilters'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudwatch_log_metric_filter', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    const byGroup = new Map<string, { name: string; pattern: string }[]>();
    for (const f of resourcesOf(account, 'aws_cloudwatch_log_metric_filter', region)) {
      const group = String(f.values.log_group_name);
      byGroup.set(group, [...(byGroup.get(group) ?? []), { name: String(f.values.name), pattern: String(f.values.pattern) }]);
    }
    for (const [group, planned] of byGroup) {
      let deployed: MetricFilter[];
      try {
        deployed = await allPages<MetricFilter>(async (nextToken) => {
          const page = await clients.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, nextToken }));
          return { items: page.metricFilters, next: page.nextToken };
        });
      } catch (e) {
        if (errorName(e) !== 'ResourceNotFoundException') throw e;
        problems.push({ severity: 'critical', resource: `log group ${group}`, expected: `the log group with ${planned.length} metric filters`, found: 'no such log group', fix: redeploy(account) });
        continue;
      }
      const byName = new Map(deployed.map((f) => [f.filterName, f]));
      for (const { name, pattern } of planned) {
        const f = byName.get(name);
        if (!f) problems.push({ resource: `metric filter ${name}`, expected: `on ${group}: ${pattern}`, found: 'no such metric filter', fix: redeploy(account) });
        else if (f.filterPattern !== pattern) problems.push({ resource: `metric filter ${name}`, expected: pattern, found: f.filterPattern ?? 'no pattern', fix: redeploy(account) });
      }
    }
    return problems;
  },
};
